#!/usr/bin/env bash
# Reference-backend throughput (issue 16 item 4): one instance (meshc build --release, linked
# with the release runtime; the compiler itself may be the debug build: it does not change
# the generated code) on a
# throwaway PostgreSQL (scripts/pg.sh), loaded by BENCH_CLIENTS concurrent clients posting
# BENCH_JOBS jobs over keep-alive connections; reports POST /jobs throughput and latency, the
# time until the worker has processed every job (jobs/s through one instance), and the
# instance's RSS at idle and at its peak under the load.
#
# Usage: scripts/bench/backend.sh
# Settings (defaults in brackets): BENCH_JOBS [2000], BENCH_CLIENTS [50], JOB_POLL_MS [list:
# "1 10 100"], one run per poll value.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
out=${CARGO_TARGET_DIR:-target}/bench/backend
mkdir -p "$out"
jobs=${BENCH_JOBS:-2000}
clients=${BENCH_CLIENTS:-50}
polls=${JOB_POLL_MS:-"1 10 100"}

cargo build -q -p meshc
cargo build -q --release -p mesh_rt
MESH_RT_LIB_PATH=target/release/libmesh_rt.a target/debug/meshc build reference-backend --release \
  --output "$out/reference-backend"

source scripts/pg.sh
trap pg_stop EXIT
pg_start

for poll in $polls; do
  db="mesh_bench_$$_$poll"
  url=$(python3 -c 'import sys,urllib.parse as u; p=u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/"+sys.argv[2])))' "$MESH_TEST_DATABASE_URL" "$db")
  psql -X -q -d "$MESH_TEST_DATABASE_URL" -c "CREATE DATABASE \"$db\" TEMPLATE template0"
  DATABASE_URL="$url" target/debug/meshc migrate reference-backend up 2>/dev/null
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  DATABASE_URL="$url" PORT=$port JOB_POLL_MS=$poll "$out/reference-backend" >"$out/server-$poll.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$port/health" 2>/dev/null | grep -q '"status":"ok"' && break
    sleep 0.1
  done
  echo "== JOB_POLL_MS=$poll: $jobs jobs from $clients clients (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
  BENCH_DATABASE_URL="$url" python3 scripts/bench/backend/load.py "$port" "$pid" "$jobs" "$clients" | tee "$out/result-$poll.txt"
  kill -TERM "$pid"
  wait "$pid" || true
  psql -X -q -d "$MESH_TEST_DATABASE_URL" -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)"
done
