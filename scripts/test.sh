#!/usr/bin/env bash
# README command 2 (and .ci/run): install what is missing, then run every check and test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --test --windows
export PATH="$HOME/.cargo/bin:$PATH"
# A run from a clean clone gains nothing from incremental caches, which double target/'s size.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
started=$SECONDS
step() { echo; echo "==> [$((SECONDS - started))s] $*"; }

step "格式 / cargo fmt --check"
cargo fmt --all --check

step "构建界面 / vite build (the app binary embeds ui/dist)"
npm --prefix ui run build --silent

step "Rust 测试 / cargo test (core unit tests, integration tests in tests/; writes TS bindings)"
cargo test --workspace --features tauri/custom-protocol

step "生成的 TypeScript 类型与界面测试数据是否最新 / generated bindings and UI fixtures up to date"
if [ -n "$(git status --porcelain -- ui/src/bindings ui/src/dev/fixtures.json)" ]; then
  git status --short -- ui/src/bindings ui/src/dev/fixtures.json
  git --no-pager diff --stat -- ui/src/bindings ui/src/dev/fixtures.json
  echo "ui/src/bindings 或 ui/src/dev/fixtures.json 与核心不一致：运行 cargo test 后提交生成的文件"
  echo "ui/src/bindings or ui/src/dev/fixtures.json is stale: run cargo test and commit the generated files"
  exit 1
fi

step "静态检查 / cargo clippy -D warnings"
cargo clippy --workspace --all-targets --features tauri/custom-protocol -- -D warnings

step "TypeScript 类型检查 / vue-tsc"
npm --prefix ui run typecheck --silent

step "界面单元测试 / vitest"
npm --prefix ui test --silent

step "端到端测试 / end-to-end on the real app binary (Xvfb + tauri-driver + WebKitWebDriver)"
# cargo test above built target/debug/pufa-planner with the UI embedded.
xvfb-run -a -s "-screen 0 1440x900x24" node --test --test-concurrency=1 tests/e2e/

step "Windows 版 / cross-build the release for Windows, pack the zip and the installer"
# ui/dist is built above; the Windows build embeds the same.
bash scripts/package-windows.sh --skip-ui

step "Wine 测试 / the Windows build under Wine: core unit tests, CLI against Linux, installer"
bash tests/wine/run.sh

step "全部通过 / all checks passed in $((SECONDS - started))s"
