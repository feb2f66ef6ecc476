#!/usr/bin/env bash
# Builds the UI and the app binary with the UI embedded (target/debug/pufa-planner).
# The same feature set as scripts/test.sh, so running and testing share one build in target/.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "==> 构建界面 / building the UI (vite)"
npm --prefix ui run build --silent
echo "==> 构建程序 / building the app (cargo)"
cargo build --features tauri/custom-protocol
