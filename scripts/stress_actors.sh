#!/usr/bin/env bash
# Runs every actor e2e program many times with 1, 2, 4 and 8 worker threads and reports any
# output that differs from its expectation: races in the scheduler show up here long before
# they make CI flaky. Usage: scripts/stress_actors.sh [RUNS_PER_WORKER_COUNT] (default 8).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs=${1:-8}
cargo build -q -p meshc -p mesh_rt
out=target/stress-actors
mkdir -p "$out"
for f in tests/e2e/actors/*.mpl; do
  target/debug/meshc build "$f" -o "$out/$(basename "$f" .mpl)" > /dev/null
done
fails=0
for workers in 1 2 4 8; do
  for ((i = 1; i <= runs; i++)); do
    for f in tests/e2e/actors/*.mpl; do
      name=$(basename "$f" .mpl)
      got=$(MESH_WORKERS=$workers timeout 60 "$out/$name" 2> /dev/null || true)
      if [[ "$got" != "$(cat "tests/e2e/actors/$name.stdout")" ]]; then
        echo "MISMATCH workers=$workers run=$i $name"
        fails=$((fails + 1))
      fi
    done
  done
done
echo "stress_actors: $fails mismatches"
[[ $fails -eq 0 ]]
