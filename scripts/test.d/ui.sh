#!/usr/bin/env bash
# The desktop UI: type check, unit tests (Vitest against the test backend), production build, and
# the typed seam: the committed TypeScript bindings must equal a fresh export from the Rust types.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root/ui"

# npm ci and npm run build already ran in scripts/test.sh (src-tauri embeds ui/dist).
npm run check
npm test

fresh=$(mktemp -d)
trap 'rm -rf "$fresh"' EXIT
cargo run --locked -q -p engine --features ts --example export_bindings -- "$fresh"
if ! diff -ru "$root/ui/src/lib/bindings" "$fresh"; then
  echo "ui/src/lib/bindings is stale: run 'cargo run -p engine --features ts --example export_bindings'" >&2
  exit 1
fi
