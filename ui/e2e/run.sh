#!/usr/bin/env bash
# End-to-end run of the real app in a real webview: Xvfb + tauri-driver + WebKitWebDriver, inside
# a private D-Bus session. Not in CI yet (see README.md here).
#   ui/e2e/run.sh path/to/callwarden-app [screenshot-dir]
#   ui/e2e/run.sh http://127.0.0.1:PORT/ [screenshot-dir]   (a demo UI build in MiniBrowser)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
case "$1" in http*) app="$1"; driver=(WebKitWebDriver) ;; *) app=$(realpath "$1"); driver=(tauri-driver) ;; esac
shots=$(realpath -m "${2:-${TMPDIR:-/tmp}/callwarden-e2e-shots}")
mkdir -p "$shots"
work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$work/display" 2>"$work/xvfb.log" &
pids+=($!)
for _ in $(seq 100); do [ -s "$work/display" ] && break; sleep 0.05; done
export DISPLAY=":$(cat "$work/display")" NO_AT_BRIDGE=1
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_DATA_HOME="$work/home/.local/share"
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME"

# Free ports for tauri-driver and WebKitWebDriver, asked from the OS.
read -r port native < <(python3 -c 'import socket
s=[socket.socket() for _ in range(2)]
[x.bind(("127.0.0.1",0)) for x in s]
print(*[x.getsockname()[1] for x in s])')

if [ "${driver[0]}" = WebKitWebDriver ]; then
  dbus-run-session -- bash -c '
    WebKitWebDriver --port="$0" >"$2/driver.log" 2>&1 &
    driver=$!
    trap "kill $driver 2>/dev/null" EXIT
    node "$3/webview.mjs" "http://127.0.0.1:$0" "$4" "$5"
  ' "$port" "$native" "$work" "$here" "$app" "$shots"
  exit
fi
dbus-run-session -- bash -c '
  tauri-driver --port "$0" --native-port "$1" >"$2/driver.log" 2>&1 &
  driver=$!
  trap "kill $driver 2>/dev/null" EXIT
  node "$3/webview.mjs" "http://127.0.0.1:$0" "$4" "$5"
' "$port" "$native" "$work" "$here" "$app" "$shots"
