#!/usr/bin/env bash
# Node-distribution benchmark (issue 18 item 5): two Mesh nodes on loopback (127.0.0.1 serves,
# 127.0.0.2 measures; scripts/bench/dist/dist.mpl, meshc --release) beside two Erlang/OTP
# nodes (`erl -sname`, one cookie; scripts/bench/dist/dist.erl through dist/erlang.sh), in the
# same invocation: (a) remote ping-pong round trips between two processes, (b) one-way
# throughput of small (Int) messages and (c) of 64 KiB messages, each acknowledged once at
# the end. Times are measured inside the measuring node around the benchmark (start-up and
# connection set-up excluded); the best of RUNS runs is printed with the Mesh/Erlang ratio
# (below 1.00x: Mesh took less time). Erlang is installed from Debian (erlang-base) when
# missing; if it cannot be, the Mesh rows are printed alone.
#
# Usage: scripts/bench/dist.sh [RUNS]
# Sizes: PINGPONG_N [100000], SMALL_N [1000000], LARGE_N [10000]; BENCH_TIMEOUT [300] s.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
runs=${1:-3}
here=scripts/bench/dist
target=${CARGO_TARGET_DIR:-target}
out=$target/bench/dist
mkdir -p "$out"
source scripts/bench/lib.sh
limit=${BENCH_TIMEOUT:-300}
pingpong_n=${PINGPONG_N:-100000}
small_n=${SMALL_N:-1000000}
large_n=${LARGE_N:-10000}

cargo build --release -q -p meshc -p mesh_rt
"$target/release/meshc" build "$here/dist.mpl" -o "$out/dist-mesh" --release > /dev/null

cookie=bench-$RANDOM-$RANDOM-$RANDOM-$RANDOM
# A port free on both loopback addresses.
port=$(python3 -c 'import socket
while True:
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close()
    try:
        t = socket.socket(); t.bind(("127.0.0.2", p)); t.close(); print(p); break
    except OSError:
        pass')

# One Mesh run of benchmark $1 with BENCH_N=$2: the serving node, then the measuring node.
mesh_one() {
  local name=$1 n=$2 text status=0
  BENCH_NODE="s@127.0.0.1:$port" BENCH_COOKIE=$cookie BENCH_MODE=serve "$out/dist-mesh" \
    > "$out/serve.log" 2>&1 &
  local server=$!
  text=$(BENCH_NODE="m@127.0.0.2:$port" BENCH_COOKIE=$cookie BENCH_MODE=$name \
    BENCH_PEER="s@127.0.0.1:$port" BENCH_N=$n timeout "$limit" "$out/dist-mesh" 2> "$out/measure.log") \
    || status=$?
  kill "$server" 2> /dev/null || true
  wait "$server" 2> /dev/null || true
  if [ "$status" != 0 ]; then
    echo "mesh $name: exit status $status: $(printf '%s\n' "$text" | tail -3) $(tail -3 "$out/measure.log")" >&2
    return
  fi
  printf '%s\n' "$text"
}

# Best in-program time (ms) of `runs` Mesh runs, or "fail", then a tab and the result line.
mesh_best() {
  local name=$1 n=$2 best="" text ms result=""
  for _ in $(seq "$runs"); do
    text=$(mesh_one "$name" "$n")
    ms=$(printf '%s\n' "$text" | awk '$1 == "ms" { print $2 }')
    if [ -z "$ms" ]; then
      best=fail
      break
    fi
    result=$(printf '%s\n' "$text" | grep -E '^(sum|received) ' | head -1)
    if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
  done
  printf '%s\t%s\n' "$best" "$result"
}

# The Erlang time of a benchmark (by its row label in dist/erlang.sh's output).
erl_ms() { :; }
have_erlang=0
if ensure_tool erl erlang-base && ensure_tool erlc erlang-base && ensure_tool epmd erlang-base; then
  have_erlang=1
  erl_text=$(PINGPONG_N=$pingpong_n SMALL_N=$small_n LARGE_N=$large_n BENCH_TIMEOUT=$limit \
    bash "$here/erlang.sh" "$runs")
  erl_ms() {
    printf '%s\n' "$erl_text" | awk -v k="$1" 'index($0, k) == 1 { split(substr($0, length(k) + 1), f, " "); print f[1] }' | head -1
  }
fi

per_op() {
  if [ "$1" = fail ] || [ -z "$1" ]; then printf '%s' -; return; fi
  awk -v ms="$1" -v n="$2" 'BEGIN { printf "%.2f us", ms * 1000 / n }'
}

ratio() {
  if [ "$1" = fail ] || [ -z "$2" ] || [ "$2" = fail ] || [ "$2" = - ]; then printf '%s' -; return; fi
  awk -v m="$1" -v p="$2" 'BEGIN { if (p == 0) print "-"; else printf "%.2fx", m / p }'
}

echo "dist: best of $runs runs, ms inside the measuring node; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg);" \
  "Mesh workers ${MESH_WORKERS:-one per core}; $(erl -noshell -eval 'io:format("OTP ~s", [erlang:system_info(otp_release)]), halt().' 2> /dev/null || echo 'no Erlang')"
printf '%-34s %9s %12s %9s %12s %11s  %s\n' benchmark mesh_ms mesh_per_op erlang_ms erlang_per_op mesh/erlang result
row() {
  local name=$1 n=$2 label=$3 erl_label=$4 m mres e
  IFS=$'\t' read -r m mres < <(mesh_best "$name" "$n")
  e=$(erl_ms "$erl_label")
  e=${e:--}
  printf '%-34s %9s %12s %9s %12s %11s  %s\n' "$label" "$m" "$(per_op "$m" "$n")" "$e" \
    "$(per_op "$e" "$n")" "$(ratio "$m" "$e")" "$mres"
}
row pingpong "$pingpong_n" "ping-pong $pingpong_n round trips" "ping-pong $pingpong_n round trips"
row small "$small_n" "one-way $small_n Int messages" "one-way $small_n Int messages"
row large "$large_n" "one-way $large_n x 64 KiB messages" "one-way $large_n x 64 KiB messages"
