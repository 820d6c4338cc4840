#!/usr/bin/env bash
# Short fuzz run of every cargo-fuzz target kept in the repo (crates/*/fuzz). Long runs are done by
# hand: FUZZ_SECONDS=3600 scripts/test.d/fuzz-smoke.sh. cargo-fuzz needs nightly flags; the one
# stable toolchain accepts them with RUSTC_BOOTSTRAP=1.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${FUZZ_SECONDS:-15}
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/callwarden/target}/fuzz"
if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install --locked cargo-fuzz
fi
shopt -s nullglob
for dir in "$root"/crates/*/fuzz; do
  for target in $(cd "$dir" && cargo fuzz list); do
    echo "fuzz: $(basename "$(dirname "$dir")")/$target for ${seconds}s"
    (cd "$dir" && cargo fuzz run "$target" -- -max_total_time="$seconds" -rss_limit_mb=2048 2>&1 | tail -n 3)
    # A crash leaves a non-zero exit; pipefail carries it.
  done
done
