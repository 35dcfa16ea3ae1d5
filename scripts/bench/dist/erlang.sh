#!/usr/bin/env bash
# The Erlang/OTP half of the node-distribution benchmark (issue 18 item 5): two `erl -sname`
# nodes on this host with one cookie, running scripts/bench/dist/dist.erl; prints the best
# in-program time of RUNS runs per benchmark. scripts/bench/dist.sh runs it beside the Mesh
# nodes (scripts/bench/dist/dist.mpl) and prints the ratios.
#
# Usage: scripts/bench/dist/erlang.sh [RUNS]
# Sizes: PINGPONG_N [100000], SMALL_N [1000000], LARGE_N [10000]; BENCH_TIMEOUT [300] s.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../../.."
runs=${1:-3}
here=scripts/bench/dist
out=${CARGO_TARGET_DIR:-target}/bench/dist
mkdir -p "$out"
limit=${BENCH_TIMEOUT:-300}
command -v erl > /dev/null || { echo "erl not found (Debian package erlang-base)" >&2; exit 1; }
erlc -o "$out" "$here/dist.erl"
cookie=bench-$RANDOM-$RANDOM
host=$(hostname -s)
# epmd must run for -sname nodes; `erl` starts it, but start it first to avoid a race.
epmd -daemon

# Run $3 of benchmark $1 with BENCH_N=$2: the serving node, then the measuring node. Node
# names are new for every run: a node still shutting down keeps its name registered.
run_one() {
  local name=$1 n=$2 server=distb$$-$1-$3 text status=0
  erl -sname "$server" -setcookie "$cookie" -noshell -kernel logger_level warning -pa "$out" -run dist serve &
  local server_pid=$!
  text=$(BENCH_N=$n timeout "$limit" erl -sname dista$$-$1-$3 -setcookie "$cookie" -noshell \
    -kernel logger_level warning -pa "$out" \
    -run dist main "$name" "$server@$host" 2>&1) || status=$?
  kill "$server_pid" 2> /dev/null || true
  wait "$server_pid" 2> /dev/null || true
  if [ "$status" != 0 ]; then
    echo "erlang $name: exit status $status: $(echo "$text" | tail -3)" >&2
    return
  fi
  printf '%s\n' "$text"
}

best() {
  local name=$1 n=$2 best="" text ms result=""
  for i in $(seq "$runs"); do
    text=$(run_one "$name" "$n" "$i")
    ms=$(printf '%s\n' "$text" | awk '$1 == "ms" { print $2 }')
    if [ -z "$ms" ]; then best=fail; break; fi
    result=$(printf '%s\n' "$text" | grep -E '^(sum|received) ' | head -1)
    if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
  done
  printf '%s\t%s\n' "$best" "$result"
}

echo "dist (Erlang/OTP $(erl -noshell -eval 'io:format("~s", [erlang:system_info(otp_release)]), halt().')): best of $runs runs, ms inside the program; $(nproc) cores"
printf '%-40s %9s %14s  %s\n' benchmark ms per_op result
row() {
  local name=$1 n=$2 label=$3 ms result
  IFS=$'\t' read -r ms result < <(best "$name" "$n")
  local per=-
  if [ "$ms" != fail ]; then
    per=$(awk -v ms="$ms" -v n="$n" 'BEGIN { printf "%.2f us", ms * 1000 / n }')
  fi
  printf '%-40s %9s %14s  %s\n' "$label" "$ms" "$per" "$result"
}
row pingpong "${PINGPONG_N:-100000}" "ping-pong ${PINGPONG_N:-100000} round trips"
row small "${SMALL_N:-1000000}" "one-way ${SMALL_N:-1000000} Int messages"
row large "${LARGE_N:-10000}" "one-way ${LARGE_N:-10000} x 64 KiB messages"
