#!/usr/bin/env bash
# Todo API benchmark (issue 17): `GET /todos` (100 rows) and `GET /todos/:id` of the SQLite
# Todo starter (examples/todo-sqlite, meshc --release) beside the same routes in Go
# (todo/server.go: net/http + database/sql over Debian's mattn/go-sqlite3, one connection like
# the starter), both started by this script on loopback with a fresh database file, seeded with
# 100 todos through `POST /todos`, and loaded by wrk in the same run with the same threads,
# connections and duration after a discarded warm-up. Prints req/s and p50/p99 latency side by
# side with the Mesh/Go ratios. wrk, Go and the driver are installed with apt-get when missing.
#
# Usage: scripts/bench/todo.sh
# Settings (defaults in brackets): WRK_THREADS [2], WRK_CONNECTIONS [64], WRK_DURATION [10s],
# WARMUP [3s].
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
here=scripts/bench/todo
target=${CARGO_TARGET_DIR:-target}
out=$(mkdir -p "$target/bench/todo" && realpath "$target/bench/todo")
source scripts/bench/lib.sh
threads=${WRK_THREADS:-2}
connections=${WRK_CONNECTIONS:-64}
duration=${WRK_DURATION:-10s}
warmup=${WARMUP:-3s}

ensure_tool wrk wrk || exit 1
ensure_tool curl curl || exit 1
ensure_tool python3 python3 || exit 1

servers=(mesh)
declare -A command
cargo build --release -q -p meshc -p mesh_rt
target/release/meshc build examples/todo-sqlite -o "$out/server-mesh" --release > "$out/mesh-build.log" 2>&1 ||
  { cat "$out/mesh-build.log" >&2; exit 1; }
command[mesh]="env PORT=%PORT% TODO_DB_PATH=%DB% TODO_RATE_LIMIT_MAX_REQUESTS=1000 $out/server-mesh"
if ensure_package golang-go && ensure_package golang-github-mattn-go-sqlite3-dev && ensure_package libsqlite3-dev &&
  GOPATH=/usr/share/gocode GOCACHE=$out/gocache GO111MODULE=off go build -o "$out/server-go" "$here/server.go" > "$out/go-build.log" 2>&1; then
  servers+=(go)
  command[go]="$out/server-go %PORT% %DB%"
else
  echo "go: build failed (see $out/go-build.log); left out" >&2
fi

trap stop_server EXIT  # stop_server: scripts/bench/lib.sh

to_ms() {
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) { sub(/us$/, "", v); printf "%.3f", v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.3f", v }
    else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.3f", v * 1000 }
    else { printf "%s", v } }'
}

endpoints=(list one)
declare -A path=([list]=/todos [one]=/todos/50)
declare -A rps p50 p99
for name in "${servers[@]}"; do
  port=$(free_port)
  db=$out/$name.sqlite3
  rm -f "$db"
  cmd=${command[$name]//%PORT%/$port}
  ${cmd//%DB%/$db} > "$out/$name.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 200); do
    curl -fsS "http://127.0.0.1:$port/todos" > /dev/null 2>&1 && break
    sleep 0.05
  done
  for i in $(seq 1 100); do
    curl -fsS -X POST -d "{\"title\":\"todo number $i\"}" "http://127.0.0.1:$port/todos" > /dev/null ||
      { echo "$name: seeding failed (see $out/$name.log)" >&2; exit 1; }
  done
  count=$(curl -fsS "http://127.0.0.1:$port/todos" | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))')
  [ "$count" = 100 ] || { echo "$name: /todos has $count rows" >&2; exit 1; }
  curl -fsS "http://127.0.0.1:$port/todos/50" > "$out/$name-one.json"
  for endpoint in "${endpoints[@]}"; do
    url=http://127.0.0.1:$port${path[$endpoint]}
    wrk -t"$threads" -c"$connections" -d"$warmup" "$url" > /dev/null
    wrk -t"$threads" -c"$connections" -d"$duration" --latency "$url" > "$out/$name-$endpoint.wrk"
    rps[$name,$endpoint]=$(awk '/^Requests\/sec:/ { printf "%d", $2 }' "$out/$name-$endpoint.wrk")
    p50[$name,$endpoint]=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$out/$name-$endpoint.wrk")")
    p99[$name,$endpoint]=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out/$name-$endpoint.wrk")")
    if grep -q 'Non-2xx\|Socket errors' "$out/$name-$endpoint.wrk"; then
      echo "$name ${path[$endpoint]}: $(grep 'Non-2xx\|Socket errors' "$out/$name-$endpoint.wrk")" >&2
    fi
  done
  stop_server
done
if [ -f "$out/go-one.json" ]; then
  cmp -s <(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d.pop("created_at"); print(d)' "$out/mesh-one.json") \
    <(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d.pop("created_at"); print(d)' "$out/go-one.json") ||
    echo "warning: /todos/50 differs between mesh and go" >&2
fi

echo "todo: wrk -t$threads -c$connections -d$duration on loopback (warm-up $warmup discarded); 100 rows; $(nproc) cores"
printf '%-5s %-10s %10s %9s %9s\n' server path req_s p50_ms p99_ms
for name in "${servers[@]}"; do
  for endpoint in "${endpoints[@]}"; do
    printf '%-5s %-10s %10s %9s %9s\n' "$name" "${path[$endpoint]}" "${rps[$name,$endpoint]}" \
      "${p50[$name,$endpoint]}" "${p99[$name,$endpoint]}"
  done
done
if [ -n "${rps[go,list]:-}" ]; then
  for endpoint in "${endpoints[@]}"; do
    awk -v m="${rps[mesh,$endpoint]}" -v p="${rps[go,$endpoint]}" -v e="${path[$endpoint]}" \
      'BEGIN { printf "mesh/go %s: req/s ratio %.2f (higher is better for Mesh)\n", e, m / p }'
  done
fi
