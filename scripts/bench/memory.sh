#!/usr/bin/env bash
# Memory benchmark (issue 5): binary-trees and map/list churn, each compiled by meshc --release
# and its Rust peer by rustc -O. Prints the best of N wall times, the Mesh/Rust ratio, each
# side's peak RSS, and the Mesh collector's numbers (MESH_GC_STATS) from one extra run.
# Usage: scripts/bench/memory.sh [RUNS]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
runs=${1:-3}
here=scripts/bench/memory
target=${CARGO_TARGET_DIR:-target}
out=$target/bench/memory
mkdir -p "$out"
cargo build --release -q -p meshc -p mesh_rt
meshc=$target/release/meshc

# Best wall time in seconds of `runs` runs of a command (stdout discarded).
best_time() {
  local best=""
  for _ in $(seq "$runs"); do
    local start end t
    start=$(date +%s.%N)
    timeout 300 "$@" > /dev/null
    end=$(date +%s.%N)
    t=$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')
    if [ -z "$best" ] || awk -v t="$t" -v b="$best" 'BEGIN { exit !(t < b) }'; then best=$t; fi
  done
  printf '%.3f' "$best"
}

# Peak resident set size of one run, in MiB (GNU time), or "-" without it.
peak_rss() {
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f '%M' "$@" 2>&1 > /dev/null | tail -1 | awk '{ printf "%.1f", $1 / 1024 }'
  else
    printf '%s' -
  fi
}

printf '%-13s %8s %8s %7s %9s %9s\n' benchmark mesh_s rust_s ratio mesh_rss rust_rss
stats=()
for name in ${BENCHES:-binary_trees churn}; do
  "$meshc" build "$here/$name.mpl" -o "$out/$name-mesh" --release 2>/dev/null
  rustc -O -C codegen-units=1 "$here/$name.rs" -o "$out/$name-rust" 2>/dev/null
  mesh_out=$(timeout 300 "$out/$name-mesh")
  rust_out=$(timeout 300 "$out/$name-rust")
  if [ "$mesh_out" != "$rust_out" ]; then
    echo "$name: outputs differ:" >&2
    diff <(echo "$mesh_out") <(echo "$rust_out") >&2 || true
    exit 1
  fi
  m=$(best_time "$out/$name-mesh")
  r=$(best_time "$out/$name-rust")
  printf '%-13s %8s %8s %7s %9s %9s\n' "$name" "$m" "$r" \
    "$(awk -v m="$m" -v r="$r" 'BEGIN { printf "%.2fx", m / r }')" \
    "$(peak_rss "$out/$name-mesh")" "$(peak_rss "$out/$name-rust")"
  stats+=("$name: $(MESH_GC_STATS=1 "$out/$name-mesh" 2>&1 > /dev/null | grep '^\[gc\]')")
done
printf '%s\n' "${stats[@]}"
