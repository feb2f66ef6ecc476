#!/usr/bin/env bash
# The app's weight against a hello-world Tauri 2 window built the same way (issue 19), in one
# run under one Xvfb: time until each window is mapped, time until the app's first screen has
# content (the window tells the backend, which writes PUFA_FIRST_CONTENT_FILE; the
# yardstick's static page has content when mapped), then the PSS of every process of each
# (the app, WebKitWebProcess, WebKitNetworkProcess …) after 10 s idle.
#
#   bench/weight.sh [debug|release]     (default release)
#
# Build both first, the same way:
#   npm --prefix ui run build
#   cargo build [--release] --features tauri/custom-protocol -p pufa-planner -p pufa-yardstick
set -euo pipefail
profile=${1:-release}
root=$(cd "$(dirname "$0")/.." && pwd)
app=$root/target/$profile/pufa-planner
yard=$root/target/$profile/pufa-yardstick
idle=${PUFA_WEIGHT_IDLE:-10}
for b in "$app" "$yard"; do
  [ -x "$b" ] || { echo "missing $b: build it first (see the top of this script)" >&2; exit 2; }
done

display=:$((90 + RANDOM % 100))
Xvfb "$display" -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
work=$(mktemp -d)
cleanup() {
  [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null || true
  kill "$xvfb" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
export DISPLAY=$display
sleep 1

now_ms() { date +%s%3N; }

# The process and all its descendants.
tree() {
  local p=$1
  echo "$p"
  for c in $(pgrep -P "$p" || true); do tree "$c"; done
}

# The biggest window titled $1 (GTK also makes a small hidden leader window of the same name).
window_of() {
  xwininfo -root -tree 2>/dev/null | grep -F "\"$1\":" |
    awk '{for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+x[0-9]+\+/) {split($i, g, /[x+]/); print g[1] * g[2], $1}}' |
    sort -n | tail -1 | awk '{print $2}' || true
}

pss_kb() { awk '/^Pss:/ {print $2}' "/proc/$1/smaps_rollup" 2>/dev/null || echo 0; }

measure() {
  local name=$1 bin=$2 title=$3
  local data=$work/$name
  mkdir -p "$data"
  if [ "$name" = app ]; then
    # A town set up, as a user's first screen after set-up (the home page).
    "$bin" --data-dir "$data" init --town 双龙镇 --villages 安静村,石院村 --user 李明 --role coordinator >/dev/null
  fi
  local t0
  t0=$(now_ms)
  local ready=$work/$name.first-content
  PUFA_DATA_DIR=$data PUFA_FIRST_CONTENT_FILE=$ready "$bin" >/dev/null 2>&1 &
  pid=$!
  local mapped="" win=""
  for _ in $(seq 1 1500); do
    win=$(window_of "$title")
    if [ -n "$win" ] && xwininfo -id "$win" 2>/dev/null | grep -q "IsViewable"; then
      mapped=$(($(now_ms) - t0))
      break
    fi
    sleep 0.02
  done
  local content=""
  if [ "$name" = app ]; then
    for _ in $(seq 1 1500); do
      if [ -s "$ready" ]; then
        content=$(($(now_ms) - t0))
        break
      fi
      sleep 0.02
    done
  else
    content=$mapped
  fi
  sleep "$idle"
  local total=0 lines=""
  for p in $(tree "$pid"); do
    local kb comm
    kb=$(pss_kb "$p")
    # PUFA_WEIGHT_SMAPS=<dir>: keep each process's smaps, to see where its memory goes.
    [ -n "${PUFA_WEIGHT_SMAPS:-}" ] && mkdir -p "$PUFA_WEIGHT_SMAPS" && cp "/proc/$p/smaps" "$PUFA_WEIGHT_SMAPS/$name-$p-$(tr -d '\0/' <"/proc/$p/comm" 2>/dev/null).smaps" 2>/dev/null
    comm=$(tr -d '\0' <"/proc/$p/comm" 2>/dev/null || echo '?')
    total=$((total + kb))
    lines+=$(printf '    %-22s %8.1f MB' "$comm" "$(echo "$kb/1024" | bc -l)")$'\n'
  done
  local geom
  geom=$(xwininfo -id "$win" 2>/dev/null | awk '/Width:/ {w=$2} /Height:/ {h=$2} END {print w "x" h}')
  printf '%s (%s): window %s mapped after %s ms, first content after %s ms; PSS after %ss idle: %.1f MB\n%s' \
    "$name" "$profile" "$geom" "${mapped:-?}" "${content:-?}" "$idle" "$(echo "$total/1024" | bc -l)" "$lines"
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pid=""
  echo "$total" >"$work/$name.total"
}

measure app "$app" "普法活动规划与台账"
measure yardstick "$yard" "pufa-yardstick"
a=$(cat "$work/app.total")
y=$(cat "$work/yardstick.total")
printf 'app − yardstick: %.1f MB (goal ≤ 60 MB)\n' "$(echo "($a-$y)/1024" | bc -l)"
