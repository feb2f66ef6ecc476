#!/usr/bin/env bash
# The tests on Windows semantics, under Wine (CI runs this after scripts/package-windows.sh):
#   1. the core's unit tests, cross-compiled for x86_64-pc-windows-gnu, run by Wine;
#   2. the CLI scenarios with the Windows build's pufa-cli.exe against the Linux build
#      (tests/wine.rs): the same JSON, exit codes and exported files on the same inputs;
#   3. the installer, silently installed into the Wine prefix and uninstalled (tests/wine/installer.sh).
# Needs the release build of scripts/package-windows.sh, Wine and mingw-w64
# (scripts/install-deps.sh --windows).
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$HOME/.cargo/bin:$PATH"
source tests/wine/env.sh
started=$SECONDS

echo "==> [Windows] 程序类型 / pufa-cli.exe is a console program, pufa-planner.exe a window program"
# cmd and PowerShell wait for a console (CUI) program and take its exit code; a GUI one they
# start and leave: the reason pufa-cli.exe exists.
REL=target/x86_64-pc-windows-gnu/release
subsystem() { x86_64-w64-mingw32-objdump -p "$REL/$1" | sed -n 's/^Subsystem[[:space:]]*//p'; }
subsystem pufa-cli.exe | grep -q "Windows CUI" || { echo "pufa-cli.exe: $(subsystem pufa-cli.exe)"; exit 1; }
subsystem pufa-planner.exe | grep -q "Windows GUI" || { echo "pufa-planner.exe: $(subsystem pufa-planner.exe)"; exit 1; }
echo "    pufa-cli.exe: $(subsystem pufa-cli.exe); pufa-planner.exe: $(subsystem pufa-planner.exe)"

echo "==> [Wine] 核心单元测试 / the core's unit tests for Windows, under Wine"
# In the release profile, so the dependencies compiled for the Windows release are reused (a
# debug build for Windows would compile them all once more). The TypeScript bindings are the
# Linux run's to check: this run writes its copy elsewhere.
TS_RS_EXPORT_DIR="$PWD/target/wine-bindings" \
  cargo test --release -p pufa-core --lib --target x86_64-pc-windows-gnu
echo "    用时 / took $((SECONDS - started))s"

echo "==> [Wine] 命令行对比 / pufa-cli.exe under Wine against the Linux build"
# The Linux side is the debug build of scripts/test.sh's cargo test (same target/, no rebuild).
PUFA_WINE_EXE="$PWD/$REL/pufa-cli.exe" \
  cargo test --features tauri/custom-protocol --test wine -- --ignored --test-threads=1 --nocapture
echo "    用时 / took $((SECONDS - started))s"

echo "==> [Wine] 安装程序 / the installer, installed and uninstalled silently"
bash tests/wine/installer.sh
echo "==> [Wine] 全部通过 / all Wine tests passed in $((SECONDS - started))s"
