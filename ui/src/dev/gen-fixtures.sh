#!/usr/bin/env bash
# Regenerates fixtures.json (the demo town, key dates, templates, holidays as the real core answers
# them; the UI tests read it through ui/tests/fixtures.ts) through the CLI. Run from the
# repository root after `cargo build`:
#   bash ui/src/dev/gen-fixtures.sh
set -euo pipefail
BIN=${BIN:-target/debug/pufa-planner}
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
run() { "$BIN" --data-dir "$DIR" "$@"; }
run demo --year 2026 >/dev/null
{
  echo '{'
  echo '"info":'; run info --json; echo ','
  echo '"units":'; run unit list --json; echo ','
  echo '"people":'; run person list --json; echo ','
  echo '"campaigns":'; run campaign list --all --json; echo ','
  echo '"activities":'; run activity list --json; echo ','
  echo '"templates":'; run template list --json; echo ','
  echo '"keydates": {'
  for y in 2025 2026 2027 2028; do
    echo "\"$y\":"; run keydates --year $y --json; [ $y = 2028 ] || echo ','
  done
  echo '}, "holidays": {'
  for y in 2025 2026 2027 2028; do
    echo "\"$y\":"; run holidays --year $y --json; [ $y = 2028 ] || echo ','
  done
  echo '}}'
} > "$DIR/raw.json"
python3 -c "import json,sys; json.dump(json.load(open(sys.argv[1])), open(sys.argv[2],'w'), ensure_ascii=False, separators=(',',':'))" \
  "$DIR/raw.json" ui/src/dev/fixtures.json
echo "wrote ui/src/dev/fixtures.json"
