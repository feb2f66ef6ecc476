#!/usr/bin/env bash
# Builds the release .deb (target/release/bundle/deb/). On Windows run the same `tauri build`
# with `--bundles nsis` for an installer.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
export PATH="$HOME/.cargo/bin:$PATH"
# The Tauri CLI would run beforeBuildCommand from the folder above tauri.conf.json (it looks
# for the frontend next to a src-tauri folder): build the UI here and skip that step.
npm --prefix ui run build --silent
ui/node_modules/.bin/tauri build --config '{"build":{"beforeBuildCommand":""}}' "$@"
ls -l target/release/bundle/deb/*.deb
