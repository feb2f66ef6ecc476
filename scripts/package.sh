#!/usr/bin/env bash
# Builds the release .deb (target/release/bundle/deb/). On Windows run the same `tauri build`
# with `--bundles nsis` for an installer.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
export PATH="$HOME/.cargo/bin:$PATH"
ui/node_modules/.bin/tauri build "$@"
ls -l target/release/bundle/deb/*.deb
