#!/usr/bin/env bash
# Side-by-side compute benchmark (issue 4): each program compiled by meshc --release and the
# equivalent Rust program compiled by rustc -O, run in the same invocation; prints the best of
# N wall times and the Mesh/Rust ratio. Usage: scripts/bench/compute.sh [RUNS]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
runs=${1:-3}
here=scripts/bench/compute
out=target/bench/compute
mkdir -p "$out"
cargo build --release -q -p meshc -p mesh_rt
meshc=target/release/meshc

# Best wall time in seconds of `runs` runs of a command (stdout discarded after the first).
best_time() {
  local best=""
  for _ in $(seq "$runs"); do
    local start end
    start=$(date +%s.%N)
    timeout 300 "$@" > /dev/null
    end=$(date +%s.%N)
    local t
    t=$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')
    if [ -z "$best" ] || awk -v t="$t" -v b="$best" 'BEGIN { exit !(t < b) }'; then best=$t; fi
  done
  printf '%.3f' "$best"
}

printf '%-10s %10s %10s %8s  %s\n' benchmark mesh_s rust_s ratio output
for name in ${BENCHES:-fib nbody strings}; do
  "$meshc" build "$here/$name.mpl" -o "$out/$name-mesh" --release 2>/dev/null || { "$meshc" build "$here/$name.mpl" -o "$out/$name-mesh" --release; exit 1; }
  rustc -O -C codegen-units=1 "$here/$name.rs" -o "$out/$name-rust" 2>/dev/null
  mesh_out=$(timeout 300 "$out/$name-mesh")
  rust_out=$(timeout 300 "$out/$name-rust")
  if [ "$mesh_out" != "$rust_out" ]; then
    echo "$name: outputs differ: mesh=$mesh_out rust=$rust_out" >&2
    exit 1
  fi
  m=$(best_time "$out/$name-mesh")
  r=$(best_time "$out/$name-rust")
  printf '%-10s %10s %10s %8s  %s\n' "$name" "$m" "$r" "$(awk -v m="$m" -v r="$r" 'BEGIN { printf "%.2fx", m / r }')" "$mesh_out"
done
