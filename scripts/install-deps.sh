#!/usr/bin/env bash
# Installs what this project needs on Debian 12 / Ubuntu 22.04+ and is missing.
# Idempotent: each step checks first, so a second run takes seconds.
#   scripts/install-deps.sh          system packages + npm packages
#   scripts/install-deps.sh --test   also the end-to-end test tools (tauri-driver, xvfb …)
#   scripts/install-deps.sh --windows  also the Windows cross-build and its tests: the rustup
#                                      target x86_64-pc-windows-gnu, mingw-w64 (linker and C
#                                      compiler), NSIS (makensis) and Wine (runs the exe's CLI)
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
want_windows=0
for arg in "$@"; do
  case "$arg" in
    --test) want_test=1 ;;
    --windows) want_windows=1 ;;
    *) echo "unknown option: $arg (use --test and/or --windows)"; exit 2 ;;
  esac
done

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

pkgs=(build-essential curl file pkg-config libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev
      libssl-dev libxdo-dev fonts-noto-cjk)
# libayatana-appindicator3-dev is the tray library on Debian 12 / Ubuntu; optional for us.
if [ "$want_test" = 1 ]; then
  # sqlite3: the English e2e walk reads the user data it may show from the database.
  pkgs+=(xvfb webkit2gtk-driver xauth libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils
        sqlite3)
fi
if [ "$want_windows" = 1 ]; then
  # The x86-64 half of Debian's mingw-w64 (gcc, binutils, the Windows headers and import
  # libraries), NSIS for the installer, Wine 8 for the tests, python3 for the portable zip.
  pkgs+=(gcc-mingw-w64-x86-64 nsis wine wine64 python3)
fi

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> 安装系统软件包 / installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# Rust: rustup's stable toolchain when cargo is missing (the project needs Rust 1.85+).
if ! command -v cargo >/dev/null; then
  if [ -x "$HOME/.cargo/bin/cargo" ]; then
    export PATH="$HOME/.cargo/bin:$PATH"
  else
    echo "==> 安装 Rust / installing Rust (rustup)"
    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal \
      --component clippy,rustfmt
    export PATH="$HOME/.cargo/bin:$PATH"
  fi
fi

if [ "$want_windows" = 1 ] && ! rustup target list --installed 2>/dev/null | grep -qx x86_64-pc-windows-gnu; then
  echo "==> 安装 Windows 编译目标 / rustup target add x86_64-pc-windows-gnu"
  rustup target add x86_64-pc-windows-gnu
fi

# Node.js 20.19+: Debian 12's own nodejs is 18, too old for Vite; NodeSource has 20.
node_ok() {
  command -v node >/dev/null && node -e '
    const [a, b] = process.versions.node.split(".").map(Number);
    process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'
}
if ! node_ok; then
  echo "==> 安装 Node.js 20 / installing Node.js 20 (NodeSource)"
  curl -fsSL https://deb.nodesource.com/setup_20.x | $SUDO bash -
  $SUDO apt-get install -y -q nodejs
  node_ok || { echo "需要 Node.js 20.19 或更新版本 / Node.js 20.19+ is required"; exit 1; }
fi

if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  echo "==> 安装前端依赖 / npm ci"
  (cd ui && npm ci --no-audit --no-fund)
fi

if [ "$want_test" = 1 ] && ! command -v tauri-driver >/dev/null && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
  echo "==> 安装 tauri-driver"
  cargo install tauri-driver --version '^2' --locked
fi
