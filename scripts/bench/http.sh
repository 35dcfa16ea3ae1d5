#!/usr/bin/env bash
# HTTP server benchmark (issue 13): `GET /text` (Hello, World!) and `GET /json`
# ({"message":"Hello, World!"}) served by the Mesh program http/server.mpl (meshc --release),
# by a Rust peer (http/rust: axum on hyper and tokio, release build) and by a Go peer
# (http/server.go: net/http), all started by this script on loopback and each loaded by wrk in
# the same run with the same threads, connections and duration, after a warm-up that is
# discarded. Prints req/s, p50/p99 latency, idle and peak RSS side by side with the Mesh/peer
# ratios. Peers and wrk are installed with apt-get when missing; a peer that cannot be built
# is reported and left out.
#
# Usage: scripts/bench/http.sh
# Settings (defaults in brackets): WRK_THREADS [2], WRK_CONNECTIONS [64], WRK_DURATION [10s],
# WARMUP [3s].
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
here=scripts/bench/http
target=${CARGO_TARGET_DIR:-target}
out=$target/bench/http
mkdir -p "$out"
source scripts/bench/lib.sh
threads=${WRK_THREADS:-2}
connections=${WRK_CONNECTIONS:-64}
duration=${WRK_DURATION:-10s}
warmup=${WARMUP:-3s}

ensure_tool wrk wrk || exit 1
ensure_tool curl curl || exit 1

servers=()
declare -A command
cargo build --release -q -p meshc -p mesh_rt
if target/release/meshc build "$here/server.mpl" -o "$out/server-mesh" --release > "$out/mesh-build.log" 2>&1; then
  servers+=(mesh)
  command[mesh]="env PORT=%PORT% $out/server-mesh"
else
  echo "mesh: build failed (see $out/mesh-build.log)" >&2
  cat "$out/mesh-build.log" >&2
  exit 1
fi
if cargo build --release -q --manifest-path "$here/rust/Cargo.toml" --target-dir "$out/rust" > "$out/rust-build.log" 2>&1; then
  servers+=(rust)
  command[rust]="$out/rust/release/http-bench %PORT%"
else
  echo "rust: build failed (see $out/rust-build.log); left out" >&2
fi
if ensure_tool go golang-go && GOCACHE=$(realpath "$out")/gocache GO111MODULE=off go build -o "$out/server-go" "$here/server.go"; then
  servers+=(go)
  command[go]="$out/server-go %PORT%"
fi

trap stop_server EXIT  # stop_server: scripts/bench/lib.sh

# Resident set of a process in KiB: current (VmRSS) or peak (VmHWM).
rss_kib() { awk -v key="$2:" '$1 == key { print $2 }' "/proc/$1/status"; }

# wrk's latency figure in milliseconds ("1.23ms", "456.00us", "1.02s").
to_ms() {
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) { sub(/us$/, "", v); printf "%.3f", v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.3f", v }
    else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.3f", v * 1000 }
    else { printf "%s", v } }'
}

declare -A rps p50 p99 idle peak
for name in "${servers[@]}"; do
  port=$(free_port)
  ${command[$name]//%PORT%/$port} > "$out/$name.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 200); do
    curl -fsS "http://127.0.0.1:$port/text" > /dev/null 2>&1 && break
    sleep 0.05
  done
  body=$(curl -fsS "http://127.0.0.1:$port/json") || { echo "$name: not serving (see $out/$name.log)" >&2; stop_server; continue; }
  [ "$body" = '{"message":"Hello, World!"}' ] || { echo "$name: /json answered $body" >&2; stop_server; continue; }
  idle[$name]=$(rss_kib "$pid" VmRSS)
  for endpoint in text json; do
    wrk -t"$threads" -c"$connections" -d"$warmup" "http://127.0.0.1:$port/$endpoint" > /dev/null
    wrk -t"$threads" -c"$connections" -d"$duration" --latency "http://127.0.0.1:$port/$endpoint" > "$out/$name-$endpoint.wrk"
    rps[$name,$endpoint]=$(awk '/^Requests\/sec:/ { printf "%d", $2 }' "$out/$name-$endpoint.wrk")
    p50[$name,$endpoint]=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$out/$name-$endpoint.wrk")")
    p99[$name,$endpoint]=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out/$name-$endpoint.wrk")")
    if grep -q 'Non-2xx\|Socket errors' "$out/$name-$endpoint.wrk"; then
      echo "$name /$endpoint: $(grep 'Non-2xx\|Socket errors' "$out/$name-$endpoint.wrk")" >&2
    fi
  done
  peak[$name]=$(rss_kib "$pid" VmHWM)
  stop_server
done

echo "http: wrk -t$threads -c$connections -d$duration on loopback (warm-up $warmup discarded); $(nproc) cores"
printf '%-6s %-5s %10s %9s %9s %10s %10s\n' server path req_s p50_ms p99_ms idle_kib peak_kib
for name in "${servers[@]}"; do
  [ -n "${idle[$name]:-}" ] || continue
  for endpoint in text json; do
    printf '%-6s %-5s %10s %9s %9s %10s %10s\n' "$name" "/$endpoint" "${rps[$name,$endpoint]}" \
      "${p50[$name,$endpoint]}" "${p99[$name,$endpoint]}" "${idle[$name]}" "${peak[$name]}"
  done
done
for peer in rust go; do
  [ -n "${idle[$peer]:-}" ] && [ -n "${idle[mesh]:-}" ] || continue
  for endpoint in text json; do
    awk -v m="${rps[mesh,$endpoint]}" -v p="${rps[$peer,$endpoint]}" -v e="$endpoint" -v peer="$peer" \
      'BEGIN { printf "mesh/%s /%s: req/s ratio %.2f (higher is better for Mesh)\n", peer, e, m / p }'
  done
  awk -v m="${idle[mesh]}" -v p="${idle[$peer]}" -v peer="$peer" \
    'BEGIN { printf "mesh/%s idle RSS ratio %.2f (lower is better for Mesh)\n", peer, m / p }'
done
