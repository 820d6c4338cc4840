#!/usr/bin/env bash
# Issue 6's end-to-end tests: the real desktop app in a real webview (Xvfb, tauri-driver,
# WebKitWebDriver) against Kamailio with secsipid, baresip, gnome-keyring and PulseAudio on
# loopback (tests/tests/desktop_app.rs). The app is built with its `e2e` feature, which adds the
# software passkey; release builds never have it. Screenshots of every state are kept in
# $CARGO_TARGET_DIR/debug/e2e-screenshots/.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/callwarden/target}"
if ! tauri-driver --help >/dev/null 2>&1; then
  cargo install --locked tauri-driver --version '^2'
fi
cargo build --locked -p callwarden-app --features e2e
# The webview harness is behind the e2e feature, so the workspace lint step does not see it.
cargo clippy --locked -p interop --features e2e --all-targets -- -D warnings
if cargo nextest --version >/dev/null 2>&1; then
  dbus-run-session -- cargo nextest run --locked -p interop --features e2e --test desktop_app --no-fail-fast
else
  dbus-run-session -- cargo test --locked -p interop --features e2e --test desktop_app --no-fail-fast
fi
echo "e2e: screenshots in $CARGO_TARGET_DIR/debug/e2e-screenshots/"
