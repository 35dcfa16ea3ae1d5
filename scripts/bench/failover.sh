#!/usr/bin/env bash
# Failover timing (issue 19 item 8, first half): two nodes on loopback (a primary on
# 127.0.0.1:P and a standby on [::1]:P, same cookie, seed localhost) run the startup-work
# fixture tests/fixtures/cluster/startup (meshc --release, release runtime) with a dispatch
# window (MESH_STARTUP_WORK_DELAY_MS), so the startup record is mirrored and pending when the
# primary goes. Each run waits for the primary's `startup_dispatch_window` and the standby's
# `replica_prepare` transitions, then takes the primary away and times, from that moment, the
# standby's log lines (timestamped as they are read, with bash's $EPOCHREALTIME):
#   promoted   `transition=automatic_promotion` (the standby reports cluster_role=primary)
#   recovered  `transition=startup_completed` (the recovered startup record completed)
# Two ways to lose the primary:
#   closed  SIGKILL: the kernel closes its sockets (RUNS runs; target: promotion < 100 ms)
#   silent  SIGSTOP: the process stops answering, its sockets stay open, so only the heartbeat
#           timeout (MESH_NODE_DOWN_AFTER_MS, default here 1000) reveals the loss
#           (SILENT_RUNS runs; target: promotion < timeout + 100 ms)
# Prints median and max per figure and mode.
#
# Usage: scripts/bench/failover.sh
# Settings: RUNS [20], SILENT_RUNS [5], DOWN_AFTER_MS [1000], WINDOW_MS [5000].
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
target=${CARGO_TARGET_DIR:-target}
out=$target/bench/failover
mkdir -p "$out"
source scripts/bench/lib.sh
runs=${RUNS:-20}
silent_runs=${SILENT_RUNS:-5}
down_after=${DOWN_AFTER_MS:-1000}
window=${WINDOW_MS:-5000}

for tool in python3; do
  command -v "$tool" > /dev/null || { echo "$tool is required (apt-get install $tool)" >&2; exit 1; }
done

cargo build -q -p meshc
cargo build -q --release -p mesh_rt
MESH_RT_LIB_PATH=$target/release/libmesh_rt.a $target/debug/meshc build \
  tests/fixtures/cluster/startup --release -o "$out/node" > "$out/build.log" 2>&1 \
  || { cat "$out/build.log" >&2; exit 1; }

pids=()
cleanup() {
  for pid in "${pids[@]}"; do
    kill -CONT "$pid" 2> /dev/null || true
    kill -9 "$pid" 2> /dev/null || true
  done
  wait 2> /dev/null || true
}
trap cleanup EXIT

# Timestamps each line of standard input (microseconds since the epoch) into file $1.
stamp() {
  local line
  while IFS= read -r line; do
    printf '%s %s\n' "${EPOCHREALTIME/./}" "$line"
  done > "$1"
}

# Waits (up to $3 seconds) until file $1 contains $2; prints the first matching line.
wait_for() {
  local deadline=$((SECONDS + $3))
  while [ "$SECONDS" -lt "$deadline" ]; do
    if grep -m1 -F -- "$2" "$1" 2> /dev/null; then return 0; fi
    sleep 0.01
  done
  echo "timed out waiting for '$2' in $1" >&2
  return 1
}

# One run: prints "<promoted_ms> <recovered_ms>".
run_once() { # mode index
  local mode=$1 i=$2
  local port cookie primary standby plog slog t0 t1 t2
  port=$(free_port_dual)
  cookie="bench-$$-$RANDOM$RANDOM"
  primary="a@127.0.0.1:$port"
  standby="b@[::1]:$port"
  plog="$out/$mode-$i-primary.log"
  slog="$out/$mode-$i-standby.log"
  common=(env -u MESH_NODE_HOST MESH_CLUSTER_COOKIE="$cookie" MESH_DISCOVERY_SEED=localhost
    MESH_CLUSTER_PORT="$port" MESH_DISCOVERY_INTERVAL_MS=200 MESH_NODE_DOWN_AFTER_MS="$down_after"
    MESH_STARTUP_WORK_DELAY_MS="$window")
  "${common[@]}" MESH_NODE_NAME="$primary" MESH_CONTINUITY_ROLE=primary "$out/node" \
    > /dev/null 2> "$plog" &
  local apid=$!
  pids+=("$apid")
  "${common[@]}" MESH_NODE_NAME="$standby" MESH_CONTINUITY_ROLE=standby "$out/node" \
    2> >(stamp "$slog") > /dev/null &
  local bpid=$!
  pids+=("$bpid")
  wait_for "$plog" "transition=startup_dispatch_window" 20 > /dev/null
  wait_for "$slog" "transition=replica_prepare" 20 > /dev/null
  t0=${EPOCHREALTIME/./}
  if [ "$mode" = closed ]; then kill -9 "$apid"; else kill -STOP "$apid"; fi
  t1=$(wait_for "$slog" "transition=automatic_promotion" 30 | cut -d' ' -f1)
  t2=$(wait_for "$slog" "transition=startup_completed" 30 | cut -d' ' -f1)
  kill -CONT "$apid" 2> /dev/null || true
  kill -9 "$apid" "$bpid" 2> /dev/null || true
  { wait "$apid" "$bpid"; } 2> /dev/null || true
  awk -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN { printf "%.1f %.1f\n", (b - a) / 1000, (c - a) / 1000 }'
}

# Median and max of the numbers on standard input.
summary() {
  sort -n | awk '{ v[NR] = $1 } END {
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%.1f %.1f\n", m, v[NR] }'
}

printf '%-8s %5s %18s %18s %14s\n' mode runs promoted_ms_p50 promoted_ms_max recovered_p50/max
for mode in closed silent; do
  n=$runs
  [ "$mode" = silent ] && n=$silent_runs
  [ "$n" -gt 0 ] || continue
  : > "$out/$mode.txt"
  for i in $(seq 1 "$n"); do
    run_once "$mode" "$i" >> "$out/$mode.txt"
  done
  read -r pm px < <(cut -d' ' -f1 "$out/$mode.txt" | summary)
  read -r rm rx < <(cut -d' ' -f2 "$out/$mode.txt" | summary)
  printf '%-8s %5s %18s %18s %14s\n' "$mode" "$n" "$pm" "$px" "$rm/$rx"
done
echo "heartbeat timeout (MESH_NODE_DOWN_AFTER_MS)=${down_after} ms, dispatch window=${window} ms;" \
  "targets: closed promotion < 100 ms, silent promotion < ${down_after} + 100 ms; runs in $out"
