#!/usr/bin/env bash
# Remakes the corpus workbooks saved by LibreOffice (committed, so CI needs no LibreOffice):
# workbooks of tests/import_corpus.rs written by rust_xlsxwriter, then converted by
# `soffice --headless` to .xls (Excel 97–2003, as old WPS saves), .ods, and .xlsx re-saved.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
PUFA_CORPUS_OUT="$work" cargo test --manifest-path "$root/Cargo.toml" --features tauri/custom-protocol \
  --test import_corpus -- --ignored write_corpus_sources
convert() { # source n, format, filter, suffix
  local src="$work/台账$1.xlsx" out="$work/out-$3"
  mkdir -p "$out"
  soffice --headless --convert-to "$2" --outdir "$out" "$src" >/dev/null
  local made
  made="$(ls "$out"/台账"$1".*)"
  cp "$made" "$here/台账$1-$3.${made##*.}"
}
convert 31 xls libreoffice-xls
convert 15 xls libreoffice-xls
convert 21 ods libreoffice-ods
convert 30 'xlsx:Calc MS Excel 2007 XML' libreoffice-xlsx
ls -l "$here"
