#!/usr/bin/env bash
# The whole Callwarden test suite, from a fresh Debian/Ubuntu machine:
# system packages, formatting, lints, unit and simulated-network tests, interop tests against real
# peers on loopback (Kamailio, baresip, sipp, coturn, PulseAudio, gnome-keyring), fuzz smoke runs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

scripts/install-deps.sh
export CARGO_TERM_COLOR=never
# Build products live outside the clone (one place per machine) so every run, CI included, is
# incremental.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/callwarden/target}"

step() { printf '\n== %s\n' "$*"; }

step "ui build"
# The desktop shell embeds ui/dist at compile time, so the UI is built before anything compiles
# src-tauri (clippy included).
(cd ui && npm ci --no-audit --no-fund && npm run build)

step "format"
cargo fmt --all --check

step "lints"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "unit, simulated-network and interop tests"
# A private session bus: the vault's keyring tests start gnome-keyring-daemon on it.
if cargo nextest --version >/dev/null 2>&1; then
  dbus-run-session -- cargo nextest run --workspace --locked --no-fail-fast
else
  dbus-run-session -- cargo test --workspace --locked --no-fail-fast
fi

for extra in scripts/test.d/*.sh; do
  [ -e "$extra" ] || continue
  step "$(basename "$extra" .sh)"
  bash "$extra"
done
