#!/usr/bin/env bash
# Server CPU per request of the HTTP benchmark (scripts/bench/http.sh's servers): the Mesh
# server (http/server.mpl, meshc --release) and the Rust peer (axum), started here on
# loopback and loaded in turn by `wrk -t1 -c64` for ROUNDS rounds; prints each run and the
# medians of the server's CPU time (user + system, from /proc/PID/stat) and context switches
# per request. Unlike req/s, CPU per request barely depends on what else the machine runs,
# so it compares servers on a shared machine (docs/benchmarks.md, HTTP). With
# COUNT_SYSCALLS=1 it also counts system calls per request with `perf stat` (slower runs).
#
# Usage: scripts/bench/http_cpu.sh
# Settings (defaults in brackets): ROUNDS [5], DURATION [4s], ENDPOINTS ["text json"],
# COUNT_SYSCALLS [0].
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
here=scripts/bench/http
target=${CARGO_TARGET_DIR:-target}
out=$target/bench/http
mkdir -p "$out"
source scripts/bench/lib.sh
rounds=${ROUNDS:-5}
duration=${DURATION:-4s}
endpoints=${ENDPOINTS:-text json}

ensure_tool wrk wrk || exit 1
ensure_tool curl curl || exit 1
cargo build --release -q -p meshc -p mesh_rt
target/release/meshc build "$here/server.mpl" -o "$out/server-mesh" --release > /dev/null
cargo build --release -q --manifest-path "$here/rust/Cargo.toml" --target-dir "$out/rust"
declare -A command=([mesh]="env PORT=%PORT% $out/server-mesh" [rust]="$out/rust/release/http-bench %PORT%")

trap stop_server EXIT  # stop_server: scripts/bench/lib.sh

# Clock ticks (user + system) of every thread of process $1.
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# Context switches of every thread of process $1.
switches() { cat /proc/"$1"/task/*/status | awk '/ctxt_switches/ { n += $2 } END { print n }'; }

runs=$out/cpu-runs.txt
: > "$runs"
tck=$(getconf CLK_TCK)
for round in $(seq 1 "$rounds"); do
  for endpoint in $endpoints; do
    for name in mesh rust; do
      port=$(free_port)
      ${command[$name]//%PORT%/$port} > "$out/cpu-$name.log" 2>&1 &
      pid=$!
      for _ in $(seq 1 200); do
        curl -fsS "http://127.0.0.1:$port/$endpoint" > /dev/null 2>&1 && break
        sleep 0.05
      done
      wrk -t1 -c64 -d1s "http://127.0.0.1:$port/$endpoint" > /dev/null
      syscalls=-
      if [ "${COUNT_SYSCALLS:-0}" = 1 ]; then
        perf stat -x, -e raw_syscalls:sys_enter -p "$pid" -o "$out/cpu-perf.txt" &
        perf_pid=$!
        sleep 0.2
      fi
      t0=$(ticks "$pid") c0=$(switches "$pid")
      wrk -t1 -c64 -d"$duration" "http://127.0.0.1:$port/$endpoint" > "$out/cpu-$name.wrk"
      t1=$(ticks "$pid") c1=$(switches "$pid")
      if [ "${COUNT_SYSCALLS:-0}" = 1 ]; then
        kill -INT "$perf_pid"
        wait "$perf_pid" || true
        syscalls=$(awk -F, '/sys_enter/ { print $1 }' "$out/cpu-perf.txt")
      fi
      stop_server
      requests=$(awk '/requests in/ { print $1 }' "$out/cpu-$name.wrk")
      if grep -q 'Non-2xx\|Socket errors' "$out/cpu-$name.wrk"; then
        echo "$name /$endpoint: $(grep 'Non-2xx\|Socket errors' "$out/cpu-$name.wrk")" >&2
      fi
      awk -v n="$name" -v e="/$endpoint" -v r="$requests" -v t=$((t1 - t0)) -v hz="$tck" \
        -v c=$((c1 - c0)) -v s="$syscalls" 'BEGIN {
          printf "%s %s %d requests: %.2f us CPU/request, %.3f context switches/request", n, e, r, t / hz * 1e6 / r, c / r
          if (s != "-") printf ", %.2f system calls/request", s / r
          printf "\n" }' | tee -a "$runs"
    done
  done
done
echo "medians over $rounds rounds (wrk -t1 -c64 -d$duration on loopback; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)):"
for endpoint in $endpoints; do
  for name in mesh rust; do
    awk -v n="$name" -v e="/$endpoint" '$1 == n && $2 == e { cpu[++k] = $5; cs[k] = $8 }
      function median(a, k,   i, j, t) {
        for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
        return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2 }
      END { printf "  %-4s %-5s %6.2f us CPU/request  %.3f context switches/request\n", n, e, median(cpu, k), median(cs, k) }' "$runs"
  done
done
