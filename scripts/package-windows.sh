#!/usr/bin/env bash
# The Windows build, cross-compiled on Linux: installs what is missing (the rustup target,
# mingw-w64, NSIS, Wine), builds the release programs with the UI embedded and packs them:
#   target/windows/pufa-planner_<version>_x64_portable.zip   unzip and run; data beside the exe
#   target/windows/pufa-planner_<version>_x64-setup.exe      per-user NSIS installer
# Both hold pufa-planner.exe (the window), pufa-cli.exe (the console companion for cmd and
# PowerShell), WebView2Loader.dll and 使用说明.txt; the zip also the portable.txt marker.
#   --skip-ui    use the ui/dist already built (scripts/test.sh builds it first)
#   --no-build   pack what target/x86_64-pc-windows-gnu/release already holds
set -euo pipefail
cd "$(dirname "$0")/.."
build=1
ui=1
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    --skip-ui) ui=0 ;;
    *) echo "unknown option: $arg"; exit 2 ;;
  esac
done
bash scripts/install-deps.sh --windows
export PATH="$HOME/.cargo/bin:$PATH"

TARGET=x86_64-pc-windows-gnu
REL="target/$TARGET/release"
OUT=target/windows
VERSION=$(node -p "require('./tauri.conf.json').version")
started=$SECONDS

if [ "$build" = 1 ]; then
  if [ "$ui" = 1 ]; then
    echo "==> 构建界面 / vite build"
    npm --prefix ui run build --silent
  fi
  echo "==> 交叉编译 Windows 版 / cargo build --release --target $TARGET"
  cargo build --release --target "$TARGET" --features tauri/custom-protocol --bins
  echo "    用时 / took $((SECONDS - started))s"
fi
for f in pufa-planner.exe pufa-cli.exe WebView2Loader.dll; do
  [ -f "$REL/$f" ] || { echo "缺少 / missing: $REL/$f"; exit 1; }
done

# Texts for Windows: UTF-8 with a BOM (Notepad of every Windows 10 reads it) and CRLF.
stage="$OUT/stage"
rm -rf "$stage" && mkdir -p "$stage"
cp "$REL/pufa-planner.exe" "$REL/pufa-cli.exe" "$REL/WebView2Loader.dll" "$stage/"
for t in 使用说明.txt portable.txt; do
  { printf '\xEF\xBB\xBF'; sed -e "s/{VERSION}/$VERSION/" -e 's/$/\r/' "scripts/windows/$t"; } > "$stage/$t"
done

echo "==> 便携版 / portable zip"
zip="$OUT/pufa-planner_${VERSION}_x64_portable.zip"
rm -f "$zip"
# One folder inside; the names are stored as UTF-8 with the zip's UTF-8 flag (使用说明.txt).
python3 - "$stage" "$zip" <<'PY'
import os, sys, zipfile
stage, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    for name in ["pufa-planner.exe", "pufa-cli.exe", "WebView2Loader.dll", "使用说明.txt", "portable.txt"]:
        z.write(os.path.join(stage, name), "pufa-planner/" + name)
PY

echo "==> 安装程序 / NSIS installer"
setup="$OUT/pufa-planner_${VERSION}_x64-setup.exe"
rm -f "$setup"
rm "$stage/portable.txt"
makensis -V2 -INPUTCHARSET UTF8 -DVERSION="$VERSION" -DSRC="$PWD/$stage" -DOUT="$PWD/$setup" \
  -DICON="$PWD/icons/icon.ico" scripts/windows/installer.nsi

ls -l "$REL/pufa-planner.exe" "$REL/pufa-cli.exe" "$REL/WebView2Loader.dll" "$zip" "$setup"
echo "==> Windows 打包完成 / done in $((SECONDS - started))s"
