#!/usr/bin/env bash
# Actor benchmark (issue 6): process spawn, ping-pong, a ring, and memory per idle process,
# each as a Mesh program compiled by meshc --release beside its Erlang/OTP and Go peers, all
# run in the same invocation. Times are measured inside each program around the benchmark
# (VM and runtime start-up excluded) and the best of RUNS runs is printed with the Mesh/Erlang
# and Mesh/Go ratios. Peers are installed with apt-get when missing; a peer that cannot be
# installed is reported and left out.
#
# Usage: scripts/bench/actors.sh [RUNS]
# Sizes (defaults in brackets): SPAWN_N [1000000], PINGPONG_N [1000000], RING_N [10000],
# RING_ROUNDS [100], IDLE_N [100000]; BENCH_TIMEOUT [120] seconds per run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
runs=${1:-3}
here=scripts/bench/actors
target=${CARGO_TARGET_DIR:-target}
out=$target/bench/actors
mkdir -p "$out"
source scripts/bench/lib.sh
limit=${BENCH_TIMEOUT:-120}
spawn_n=${SPAWN_N:-1000000}
pingpong_n=${PINGPONG_N:-1000000}
ring_n=${RING_N:-10000}
ring_rounds=${RING_ROUNDS:-100}
idle_n=${IDLE_N:-100000}

cargo build --release -q -p meshc -p mesh_rt
meshc=$target/release/meshc
for name in spawn pingpong ring idle; do
  "$meshc" build "$here/$name.mpl" -o "$out/$name-mesh" --release 2> /dev/null \
    || "$meshc" build "$here/$name.mpl" -o "$out/$name-mesh" --release
done

# The Debian packages with just the runtime and compiler (erlang-base, golang-go), not the
# `erlang` and `golang` metapackages with their GUI tools and documentation.
have_erlang=0
have_go=0
if ensure_tool erl erlang-base && ensure_tool erlc erlang-base; then
  erlc -o "$out" "$here/actors.erl"
  have_erlang=1
fi
if ensure_tool go golang-go; then
  GOCACHE=$(realpath "$out")/gocache GO111MODULE=off go build -o "$out/actors-go" "$here/actors.go"
  have_go=1
fi

# Runs one implementation of one benchmark once with BENCH_N etc. set by the caller; prints
# its output, or nothing if it failed or timed out (the reason goes to stderr).
run_one() {
  local impl=$1 name=$2 status=0 text
  case $impl in
    mesh) text=$(timeout "$limit" "$out/$name-mesh" 2>&1) || status=$? ;;
    erlang) text=$(timeout "$limit" erl -noshell +P 2000000 -pa "$out" -run actors main "$name" 2>&1) || status=$? ;;
    go) text=$(timeout "$limit" "$out/actors-go" "$name" 2>&1) || status=$? ;;
  esac
  if [ "$status" = 124 ]; then
    echo "$impl $name: timed out after ${limit}s" >&2
  elif [ "$status" != 0 ]; then
    echo "$impl $name: exit status $status: $(echo "$text" | tail -3)" >&2
  else
    printf '%s\n' "$text"
  fi
}

# Best in-program time (ms) of `runs` runs, or "fail", then a tab and the first line of the
# output (the count the implementations must agree on).
best_ms() {
  local impl=$1 name=$2 best="" text ms result=""
  for _ in $(seq "$runs"); do
    text=$(run_one "$impl" "$name")
    ms=$(printf '%s\n' "$text" | awk '$1 == "ms" { print $2 }')
    if [ -z "$ms" ]; then
      best=fail
      break
    fi
    result=$(printf '%s\n' "$text" | head -1)
    if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
  done
  printf '%s\t%s\n' "$best" "$result"
}

ratio() {
  if [ "$1" = fail ] || [ "$2" = fail ] || [ "$2" = - ]; then printf '%s' -; return; fi
  awk -v m="$1" -v p="$2" 'BEGIN { if (p == 0) print "-"; else printf "%.2fx", m / p }'
}

# The time of one benchmark in every implementation, as one table row.
bench_row() {
  local name=$1 label=$2 m e=- g=- mres eres="" gres=""
  IFS=$'\t' read -r m mres < <(best_ms mesh "$name")
  if [ "$have_erlang" = 1 ]; then IFS=$'\t' read -r e eres < <(best_ms erlang "$name"); fi
  if [ "$have_go" = 1 ]; then IFS=$'\t' read -r g gres < <(best_ms go "$name"); fi
  for other in "$eres" "$gres"; do
    if [ -n "$other" ] && [ -n "$mres" ] && [ "$other" != "$mres" ]; then
      echo "$name: results differ: mesh=$mres erlang=$eres go=$gres" >&2
    fi
  done
  printf '%-28s %9s %9s %9s %11s %9s  %s\n' "$label" "$m" "$e" "$g" "$(ratio "$m" "$e")" "$(ratio "$m" "$g")" "$mres"
}

echo "actors: best of $runs runs, milliseconds measured inside each program; $(nproc) cores;" \
  "Mesh workers ${MESH_WORKERS:-one per core}; $(erl -noshell -eval 'io:format("OTP ~s", [erlang:system_info(otp_release)]), halt().' 2> /dev/null || true);" \
  "$(go version 2> /dev/null | awk '{ print $3 }' || true)"
printf '%-28s %9s %9s %9s %11s %9s  %s\n' benchmark mesh_ms erlang_ms go_ms mesh/erlang mesh/go result
BENCH_N=$spawn_n bench_row spawn "spawn $spawn_n, reply each"
BENCH_N=$pingpong_n bench_row pingpong "ping-pong $pingpong_n round trips"
BENCH_N=$ring_n BENCH_ROUNDS=$ring_rounds bench_row ring "ring $ring_n x $ring_rounds rounds"

# Memory per idle process: RSS growth over IDLE_N processes blocked in receive (one run).
idle_field() {
  printf '%s\n' "$2" | awk -v k="$1" '$1 == k { print $2 }'
}
echo
echo "memory per idle process: $idle_n processes blocked in receive, RSS growth / N (bytes)"
for impl in mesh erlang go; do
  if [ "$impl" = erlang ] && [ "$have_erlang" = 0 ]; then continue; fi
  if [ "$impl" = go ] && [ "$have_go" = 0 ]; then continue; fi
  text=$(BENCH_N=$idle_n run_one "$impl" idle)
  bytes=$(idle_field bytes_per_process "$text")
  extra=""
  if [ "$impl" = erlang ]; then
    extra="  (erlang:memory(processes) growth / N: $(idle_field erlang_memory_processes_per_process "$text"))"
  fi
  printf '%-8s %9s%s\n' "$impl" "${bytes:-fail}" "$extra"
done
