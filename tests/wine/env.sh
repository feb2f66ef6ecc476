# Sourced by the Wine test scripts: a Wine prefix of the project's own (target/wine-prefix), made
# once, with the ProcessPrng stand-in (bcryptprimitives.c) in its system32. Wine 8 lacks that
# DLL and every Rust program for Windows asks it for random numbers at start.
_wine_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export WINEPREFIX="${WINEPREFIX:-$_wine_root/target/wine-prefix}"
export WINEARCH=win64
# No Mono or Gecko (they would be downloaded), no debug chatter on stderr.
export WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d"
export WINEDEBUG="${WINEDEBUG:--all}"
unset DISPLAY WAYLAND_DISPLAY

if [ ! -f "$WINEPREFIX/system.reg" ]; then
  echo "==> Wine 前缀 / creating the Wine prefix $WINEPREFIX" >&2
  mkdir -p "$WINEPREFIX"
  wineboot --init >/dev/null 2>&1 || true
  wineserver --wait
fi
_dll="$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll"
if [ ! -f "$_dll" ] || [ "$_wine_root/tests/wine/bcryptprimitives.c" -nt "$_dll" ]; then
  x86_64-w64-mingw32-gcc -shared -O2 -o "$_dll" "$_wine_root/tests/wine/bcryptprimitives.c" -ladvapi32
fi
# One wineserver for the whole run instead of one per program (seconds each).
wineserver --persistent=60 >/dev/null 2>&1 || true
