#!/usr/bin/env bash
# Added latency of clustered HTTP routes (issue 19 item 8, second half): two nodes on loopback
# (a primary on 127.0.0.1:P and a standby on [::1]:P, same cookie, seed localhost) serve
# scripts/bench/clustered_http (meshc --release, release runtime): `GET /plain` (an ordinary
# route), `GET /one` (HTTP.clustered(1, …)) and `GET /two` (HTTP.clustered(2, …): every request
# is mirrored on the other node before it runs), all with the same handler body. wrk loads the
# primary's HTTP port for each route in turn (warm-up discarded); prints req/s and p50/p99 and
# the p50 ratios and differences against /plain. Requests entering at the primary are placed
# by hash, so about half of them run on the standby (ROUTE_CALL over the node session).
#
# Usage: scripts/bench/clustered_http.sh
# Settings (defaults in brackets): WRK_THREADS [2], WRK_CONNECTIONS [16], WRK_DURATION [10s],
# WARMUP [2s], BENCH_MAX_RECORDS [the runtime's default, 10000] passed to both nodes as
# MESH_CONTINUITY_MAX_RECORDS (each clustered request leaves one record; past the bound every
# new record evicts the oldest terminal route records).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
here=scripts/bench/clustered_http
target=${CARGO_TARGET_DIR:-target}
out=$target/bench/clustered_http
mkdir -p "$out"
source scripts/bench/lib.sh
threads=${WRK_THREADS:-2}
connections=${WRK_CONNECTIONS:-16}
duration=${WRK_DURATION:-10s}
warmup=${WARMUP:-2s}
max_records=(); [ -n "${BENCH_MAX_RECORDS:-}" ] && max_records=(MESH_CONTINUITY_MAX_RECORDS="$BENCH_MAX_RECORDS")

for tool in wrk curl python3; do
  command -v "$tool" > /dev/null || { echo "$tool is required (apt-get install $tool)" >&2; exit 1; }
done

cargo build -q -p meshc
cargo build -q --release -p mesh_rt
MESH_RT_LIB_PATH=$target/release/libmesh_rt.a $target/debug/meshc build "$here" --release \
  -o "$out/server" > "$out/build.log" 2>&1 || { cat "$out/build.log" >&2; exit 1; }

cookie="bench-$$-$RANDOM$RANDOM"
cport=$(free_port_dual)
pport=$(free_port_dual)
sport=$(free_port_dual)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null || true; done
  wait 2> /dev/null || true
}
trap cleanup EXIT

start_node() { # name role http_port log
  env -u MESH_NODE_HOST MESH_CLUSTER_COOKIE="$cookie" MESH_DISCOVERY_SEED=localhost \
    MESH_NODE_NAME="$1" MESH_CLUSTER_PORT="$cport" MESH_CONTINUITY_ROLE="$2" PORT="$3" \
    MESH_DISCOVERY_INTERVAL_MS=200 "${max_records[@]}" "$out/server" > "$4" 2>&1 &
  pids+=($!)
}
primary="a@127.0.0.1:$cport"
standby="b@[::1]:$cport"
start_node "$primary" primary "$pport" "$out/primary.log"
start_node "$standby" standby "$sport" "$out/standby.log"

# Both nodes see each other (meshc cluster status), then /two answers 200 (mirrored).
ok=""
for _ in $(seq 1 200); do
  if MESH_CLUSTER_COOKIE="$cookie" $target/debug/meshc cluster status "$primary" --json 2> /dev/null \
    | grep -q "\"b@\[::1\]:$cport\"" \
    && [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$pport/two")" = 200 ]; then
    ok=1
    break
  fi
  sleep 0.1
done
[ -n "$ok" ] || { echo "the two nodes never formed a cluster; logs in $out" >&2; exit 1; }

to_ms() {
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) { sub(/us$/, "", v); printf "%.3f", v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.3f", v }
    else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.3f", v * 1000 }
    else { printf "%s", v } }'
}

declare -A rps p50 p99
for route in plain one two; do
  url="http://127.0.0.1:$pport/$route"
  wrk -t"$threads" -c"$connections" -d"$warmup" "$url" > /dev/null
  wrk -t"$threads" -c"$connections" -d"$duration" --latency "$url" > "$out/$route.wrk"
  rps[$route]=$(awk '/^Requests\/sec:/ { printf "%d", $2 }' "$out/$route.wrk")
  p50[$route]=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$out/$route.wrk")")
  p99[$route]=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out/$route.wrk")")
  if grep -q 'Non-2xx\|Socket errors' "$out/$route.wrk"; then
    echo "/$route: errors under load:" >&2
    grep 'Non-2xx\|Socket errors' "$out/$route.wrk" >&2
  fi
done

printf '%-8s %10s %10s %10s %12s %12s\n' route req/s p50_ms p99_ms p50_ratio p50_added_ms
for route in plain one two; do
  ratio=$(awk -v a="${p50[$route]}" -v b="${p50[plain]}" 'BEGIN { printf "%.2fx", a / b }')
  added=$(awk -v a="${p50[$route]}" -v b="${p50[plain]}" 'BEGIN { printf "%.3f", a - b }')
  printf '%-8s %10s %10s %10s %12s %12s\n' "/$route" "${rps[$route]}" "${p50[$route]}" \
    "${p99[$route]}" "$ratio" "$added"
done
echo "threads=$threads connections=$connections duration=$duration max_records=${BENCH_MAX_RECORDS:-default}; logs and wrk output in $out"
