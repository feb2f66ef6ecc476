#!/usr/bin/env bash
# The NSIS installer under Wine: a silent per-user install (no administrator rights) puts the
# programs, the Start-menu and desktop shortcuts and the uninstall entry in place; the
# installed pufa-cli.exe keeps its data in %LOCALAPPDATA%; the silent uninstall removes the
# program, its shortcuts and its entry, and keeps the data.
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/wine/env.sh

fail() { echo "安装程序测试失败 / installer test failed: $*" >&2; exit 1; }
setup=$(ls target/windows/pufa-planner_*_x64-setup.exe 2>/dev/null | head -1)
[ -n "$setup" ] || fail "no installer in target/windows (run scripts/package-windows.sh)"
user=$(ls -d "$WINEPREFIX"/drive_c/users/*/AppData | grep -v /Public/ | head -1)
user=${user%/AppData}
inst="$user/AppData/Local/Programs/pufa-planner"
data="$user/AppData/Local/cn.pufa-planner.app"
menu="$user/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/普法活动规划与台账"
desktop="$(readlink -f "$user/Desktop")/普法活动规划与台账.lnk"
key='HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\cn.pufa-planner.app'
rm -rf "$inst" "$data" "$menu" "$desktop"

wine "$setup" /S
for f in pufa-planner.exe pufa-cli.exe WebView2Loader.dll 使用说明.txt uninstall.exe; do
  [ -f "$inst/$f" ] || fail "$f was not installed in $inst"
done
[ ! -e "$inst/portable.txt" ] || fail "the installed copy must not be portable"
for l in "普法活动规划与台账.lnk" "命令行（pufa-cli）.lnk" "使用说明.lnk" "卸载普法活动规划与台账.lnk"; do
  [ -f "$menu/$l" ] || fail "no Start-menu shortcut $l"
done
[ -f "$desktop" ] || fail "no desktop shortcut"
# (reg prints the Chinese DisplayName in the console's code page: check the version and place.)
wine reg query "$key" /v DisplayVersion 2>/dev/null | grep -q "REG_SZ" || fail "no uninstall entry"
wine reg query "$key" /v InstallLocation 2>/dev/null | grep -qF 'AppData\Local\Programs\pufa-planner' \
  || fail "the uninstall entry names another folder"
echo "    安装 / installed: $(du -sh "$inst" | cut -f1) in $inst"

# The installed command line keeps its data in %LOCALAPPDATA%\cn.pufa-planner.app.
wine "$inst/pufa-cli.exe" init --town 双龙镇 --villages 安静村 --json >/dev/null
[ -f "$data/pufa.db" ] || fail "the installed program's data is not in %LOCALAPPDATA%"

# In place (_?=), so the uninstaller finishes before wine returns.
wine "$inst/uninstall.exe" /S "_?=$(winepath -w "$inst")"
rm -f "$inst/uninstall.exe"   # an uninstaller run in place cannot delete itself
for f in pufa-planner.exe pufa-cli.exe WebView2Loader.dll 使用说明.txt; do
  [ ! -e "$inst/$f" ] || fail "$f is still there after the uninstall"
done
[ ! -e "$menu" ] || fail "the Start-menu folder is still there"
[ ! -e "$desktop" ] || fail "the desktop shortcut is still there"
if wine reg query "$key" >/dev/null 2>&1; then fail "the uninstall entry is still there"; fi
[ -f "$data/pufa.db" ] || fail "the uninstall removed the data"
rm -rf "$data" "$inst"
echo "    卸载 / uninstalled: program, shortcuts and entry removed, data kept"
