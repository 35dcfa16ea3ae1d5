#!/usr/bin/env bash
# Stdlib benchmark: JSON encode and parse of a ~1 MB document, Map insert and lookup of 1M Int
# keys, and string building and splitting, each as a Mesh program compiled by meshc --release
# beside a Rust peer (scripts/bench/stdlib/rust: serde_json, std HashMap, format! and join)
# built in the same run. Each program times its phases itself; prints the best of RUNS runs
# per phase and the Mesh/Rust ratio, after checking that both sides print the same results.
#
# Usage: scripts/bench/stdlib.sh [RUNS]
# Sizes: JSON_RECORDS [5000, about 0.9 MB], JSON_REPS [5], MAP_N [1000000],
# STRINGS_N [1000000]; BENCH_TIMEOUT [300] seconds per run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
runs=${1:-3}
here=scripts/bench/stdlib
target=${CARGO_TARGET_DIR:-target}
out=$target/bench/stdlib
mkdir -p "$out"
limit=${BENCH_TIMEOUT:-300}

cargo build --release -q -p meshc -p mesh_rt
meshc=$target/release/meshc
# The peer is its own cargo workspace pinned to the Mesh workspace's serde versions, so it
# normally builds from the local registry cache; fall back to fetching.
cargo build --release -q --offline --manifest-path "$here/rust/Cargo.toml" --target-dir "$out/rust" 2> /dev/null \
  || cargo build --release -q --manifest-path "$here/rust/Cargo.toml" --target-dir "$out/rust"
rust=$out/rust/release/stdlib-bench

# Runs a program RUNS times with the environment set by the caller. Prints its result lines
# (those not starting with ms_) once, then one "phase best_ms" line per phase.
best_phases() {
  local results="" text status
  local -A best=()
  for _ in $(seq "$runs"); do
    status=0
    text=$(timeout "$limit" "$@" 2>&1) || status=$?
    if [ "$status" != 0 ]; then
      echo "$*: exit status $status$([ "$status" = 124 ] && echo " (timed out after ${limit}s)"): $(echo "$text" | tail -3)" >&2
      return 1
    fi
    results=$(printf '%s\n' "$text" | grep -v '^ms_')
    while read -r phase ms; do
      if [ -z "${best[$phase]:-}" ] || awk -v t="$ms" -v b="${best[$phase]}" 'BEGIN { exit !(t < b) }'; then
        best[$phase]=$ms
      fi
    done < <(printf '%s\n' "$text" | grep '^ms_')
  done
  printf '%s\n' "$results"
  for phase in "${!best[@]}"; do printf '%s %s\n' "$phase" "${best[$phase]}"; done
}

echo "stdlib: best of $runs runs, milliseconds measured inside each program; $(rustc --version)"
printf '%-14s %10s %10s %9s  %s\n' phase mesh_ms rust_ms ratio result
for name in ${BENCHES:-json map strings}; do
  "$meshc" build "$here/$name.mpl" -o "$out/$name-mesh" --release 2> /dev/null \
    || "$meshc" build "$here/$name.mpl" -o "$out/$name-mesh" --release
  case $name in
    json) export BENCH_N=${JSON_RECORDS:-5000} BENCH_REPS=${JSON_REPS:-5} ;;
    map) export BENCH_N=${MAP_N:-1000000} ;;
    strings) export BENCH_N=${STRINGS_N:-1000000} ;;
  esac
  mesh_text=$(best_phases "$out/$name-mesh") || { echo "$name: Mesh failed; skipped" >&2; continue; }
  rust_text=$(best_phases "$rust" "$name") || { echo "$name: Rust failed; skipped" >&2; continue; }
  mesh_results=$(printf '%s\n' "$mesh_text" | grep -v '^ms_')
  rust_results=$(printf '%s\n' "$rust_text" | grep -v '^ms_')
  if [ "$mesh_results" != "$rust_results" ]; then
    echo "$name: results differ:" >&2
    diff <(echo "$mesh_results") <(echo "$rust_results") >&2 || true
    exit 1
  fi
  summary=$(printf '%s\n' "$mesh_results" | paste -sd ' ')
  while read -r phase m; do
    r=$(printf '%s\n' "$rust_text" | awk -v p="$phase" '$1 == p { print $2 }')
    printf '%-14s %10s %10s %9s  %s\n' "${phase#ms_}" "$m" "$r" \
      "$(awk -v m="$m" -v r="$r" 'BEGIN { if (r > 0) printf "%.1fx", m / r; else print "-" }')" "$summary"
    summary=""
  done < <(printf '%s\n' "$mesh_text" | grep '^ms_' | sort)
  unset BENCH_N BENCH_REPS
done
