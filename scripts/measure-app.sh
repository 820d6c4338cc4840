#!/usr/bin/env bash
# Measures the desktop app: launch to interactive (process start until the UI's `ui_ready` marker)
# and idle memory of the whole app (the shell plus its WebKit processes, PSS and RSS summed).
# Targets: < 1 s and < 150 MB. Runs under a private Xvfb display and D-Bus session.
#   scripts/measure-app.sh [path/to/callwarden-app]   (default: the release build, else debug)
#   scripts/measure-app.sh --webkit-floor   the same measurement of WebKitGTK's own MiniBrowser on
#                                           about:blank: what any WebKitGTK app costs on this machine
# Build first: (cd ui && npm ci && npm run build) && cargo build --release -p callwarden-app
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
target="${CARGO_TARGET_DIR:-$(dirname "$root")/target}"
app="${1:-}"
args=()
floor=""
if [ "$app" = "--webkit-floor" ]; then
  floor=1
  app=$(ls /usr/lib/*/webkit2gtk-4.1/MiniBrowser 2>/dev/null | head -1)
  args=(about:blank)
elif [ -z "$app" ]; then
  for profile in release debug; do
    if [ -x "$target/$profile/callwarden-app" ]; then app="$target/$profile/callwarden-app"; break; fi
  done
fi
[ -x "$app" ] || { echo "no callwarden-app binary: build it first (see the header)" >&2; exit 1; }

work=$(mktemp -d)
pids=()
descendants() { local p; for p in $(pgrep -P "$1" || true); do echo "$p"; descendants "$p"; done; }
session=""
cleanup() {
  # The D-Bus session's services (the keyring daemon) outlive dbus-run-session: stop them too.
  local tree=""
  [ -n "$session" ] && tree=$(descendants "$session")
  for pid in $tree "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# Xvfb picks a free display number itself and writes it to fd 3.
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$work/display" 2>"$work/xvfb.log" &
pids+=($!)
for _ in $(seq 100); do [ -s "$work/display" ] && break; sleep 0.05; done
export DISPLAY=":$(cat "$work/display")"

# A fresh profile: first-run state, no other instance to hand over to.
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share"
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME"
export NO_AT_BRIDGE=1 RUST_LOG=info

start_ms=$(date +%s%3N)
dbus-run-session -- "$app" "${args[@]}" >"$work/app.log" 2>&1 &
session=$!
pids+=("$session")

marker=""
# MiniBrowser has no ready marker: its page is up once its web process runs.
for _ in $(seq 600); do
  if [ -n "$floor" ] && descendants "$session" | xargs -r -I{} cat /proc/{}/comm 2>/dev/null | grep -q WebKitWebProces; then
    marker="ui interactive since_launch_ms=0 unix_ms=$(date +%s%3N)"
    break
  fi
  marker=$(sed 's/\x1b\[[0-9;]*m//g' "$work/app.log" 2>/dev/null | grep -m1 'ui interactive' || true)
  [ -n "$marker" ] && break
  sleep 0.05
done
[ -n "$marker" ] || { cat "$work/app.log" >&2; echo "the UI never became interactive" >&2; exit 1; }
unix_ms=$(sed -E 's/.*unix_ms=([0-9]+).*/\1/' <<<"$marker")
since_launch=$(sed -E 's/.*since_launch_ms=([0-9]+).*/\1/' <<<"$marker")

# Let the app settle to idle before reading memory.
sleep 5
app_pids=$(descendants "$session" | while read -r p; do
  case "$(cat /proc/"$p"/comm 2>/dev/null)" in dbus-daemon|dbus-run-sessio) ;; *) echo "$p" ;; esac
done)
pss_kb=0 rss_kb=0
for p in $app_pids; do
  read -r pss rss < <(awk '/^Pss:/{p=$2} /^Rss:/{r=$2} END{print p+0, r+0}' /proc/"$p"/smaps_rollup 2>/dev/null || echo "0 0")
  printf '  %-24s pid %-7s PSS %6d kB  RSS %6d kB\n' "$(cat /proc/"$p"/comm 2>/dev/null)" "$p" "$pss" "$rss"
  pss_kb=$((pss_kb + pss)); rss_kb=$((rss_kb + rss))
done

echo "binary:                      $app"
echo "launch to interactive:       $((unix_ms - start_ms)) ms (exec to ui_ready; shell-measured ${since_launch} ms)"
echo "idle memory, whole app:      PSS $((pss_kb / 1024)) MB, RSS $((rss_kb / 1024)) MB"
