#!/usr/bin/env bash
# Cargo's runner for x86_64-pc-windows-gnu (.cargo/config.toml): runs a test or program built for
# Windows under Wine, in the project's prefix (env.sh). `cargo test --target
# x86_64-pc-windows-gnu -p pufa-core` runs the core's unit tests on Windows semantics.
set -euo pipefail
source "$(dirname "$0")/env.sh"
exec wine "$@"
