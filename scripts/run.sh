#!/usr/bin/env bash
# README command 1: install what is missing, build, and open the app window.
# The app keeps its data in the OS app-data folder (Linux: ~/.local/share/cn.pufa-planner.app);
# pass --data-dir DIR or set PUFA_DATA_DIR to use another folder. Extra arguments go to the app.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
export PATH="$HOME/.cargo/bin:$PATH"
bash scripts/build.sh
exec target/debug/pufa-planner "$@"
