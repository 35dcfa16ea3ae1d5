#!/usr/bin/env bash
# The shipped build under load (a CI phase of scripts/test.sh): the test suites link programs
# against the debug runtime, where nothing is inlined; some faults exist only in the optimised
# runtime (a thread-local's address kept across a suspension: a process that moved to another
# worker then used the first worker's data). This builds meshc and libmesh_rt in release,
# then drives two release-built programs across both workers:
#   1. the HTTP benchmark server (scripts/bench/http/server.mpl) under wrk, 64 connections on
#      /text and /json, then tests/programs/http_slow.mpl on a route that answers at once and
#      routes that sleep: every response a 200, no socket error, no panic in its log;
#   2. two nodes of the distribution benchmark (scripts/bench/dist/dist.mpl): ping-pong round
#      trips and a one-way stream of 64 KiB messages arrive complete.
# Usage: bash scripts/release-smoke.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
target=${CARGO_TARGET_DIR:-target}
out=$target/release-smoke
mkdir -p "$out"
source scripts/bench/lib.sh
ensure_tool wrk wrk

fail() {
  echo "release-smoke: $*" >&2
  exit 1
}

cargo build --release -q -p meshc -p mesh_rt
meshc=$target/release/meshc
"$meshc" build scripts/bench/http/server.mpl -o "$out/server" --release > /dev/null
"$meshc" build scripts/bench/dist/dist.mpl -o "$out/dist" --release > /dev/null
"$meshc" build tests/programs/http_slow.mpl -o "$out/http_slow" --release > /dev/null

# 1. HTTP: the benchmark server (handlers that answer at once: each request's process runs
# nested on its connection's thread and ends there), then tests/programs/http_slow.mpl
# (handlers that sleep: the request's process parks, the connection's process parks for
# the reply, and either may resume on the other worker).
http_load() {
  local program=$1
  shift
  local port path requests
  port=$(free_port)
  PORT=$port "$out/$program" > "$out/$program.log" 2>&1 &
  server=$!
  trap 'kill "$server" 2> /dev/null || true' EXIT
  for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$port/$1" > /dev/null 2>&1 && break
    sleep 0.05
  done
  for path in "$@"; do
    wrk -t2 -c64 -d2s "http://127.0.0.1:$port/$path" > "$out/wrk-$program.txt" 2>&1 ||
      fail "wrk on /$path failed: $(cat "$out/wrk-$program.txt")"
    requests=$(awk '/requests in/ { print $1 }' "$out/wrk-$program.txt")
    echo "http /$path: ${requests:-0} requests"
    [ "${requests:-0}" -gt 1000 ] || fail "/$path: too few requests: $(cat "$out/wrk-$program.txt")"
    if grep -E 'Socket errors|Non-2xx' "$out/wrk-$program.txt"; then
      fail "/$path: failed requests (server log: $out/$program.log)"
    fi
  done
  kill "$server"
  wait "$server" 2> /dev/null || true
  trap - EXIT
  if grep -q panicked "$out/$program.log"; then
    head -20 "$out/$program.log" >&2
    fail "the HTTP server $program panicked under load"
  fi
}
http_load server text json
http_load http_slow hello sleep/1 sleep/0

# 2. Two nodes.
cookie=smoke-$RANDOM-$RANDOM-$RANDOM-$RANDOM
dist_run() {
  local mode=$1 n=$2 want=$3 dport text status=0
  dport=$(free_port)
  BENCH_NODE="s@127.0.0.1:$dport" BENCH_COOKIE=$cookie BENCH_MODE=serve "$out/dist" \
    > "$out/serve-$mode.log" 2>&1 &
  local serve=$!
  text=$(BENCH_NODE="m@127.0.0.2:$dport" BENCH_COOKIE=$cookie BENCH_MODE=$mode \
    BENCH_PEER="s@127.0.0.1:$dport" BENCH_N=$n timeout 120 "$out/dist" 2> "$out/measure-$mode.log") ||
    status=$?
  kill "$serve" 2> /dev/null || true
  wait "$serve" 2> /dev/null || true
  [ "$status" = 0 ] || fail "dist $mode: exit status $status: $text $(tail -5 "$out/measure-$mode.log")"
  printf '%s\n' "$text" | grep -qx "$want" || fail "dist $mode: expected '$want', got: $text"
  echo "dist $mode: $want ($(printf '%s\n' "$text" | awk '$1 == "ms" { print $2 }') ms)"
}
dist_run pingpong 20000 "sum 199990000"
dist_run large 3000 "received 3000"
echo "release-smoke: ok"
