#!/usr/bin/env bash
# Runs the Callwarden desktop app from a fresh Debian/Ubuntu machine. With no account configured
# it opens on the built-in training line.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/install-deps.sh
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/callwarden/target}"
if [ -d src-tauri ]; then
  (cd ui && npm ci --no-audit --no-fund && npm run build)
  exec cargo run --locked --release -p callwarden-app -- "$@"
fi
echo "the desktop app is not built yet; the headless front door is:" >&2
exec cargo run --locked --release -p callwarden-cli -- "$@"
