#!/usr/bin/env bash
# Database benchmark (issue 14): the Mesh program db/bench.mpl (meshc --release) and its Rust
# peer db/rust (tokio-postgres and rusqlite, release build) run the same workload in one
# invocation against the same throwaway PostgreSQL server (scripts/pg.sh; or the server in
# MESH_TEST_DATABASE_URL, whose bench_kv/bench_ins tables are dropped and recreated):
#   pg_select      BENCH_SELECTS [100000] single-row primary-key SELECTs from 16 concurrent
#                  processes/tasks through one pool of 8 connections
#   pg_insert      BENCH_INSERTS [20000] single-row INSERTs, the same way
#   sqlite_insert  BENCH_SQLITE [100000] INSERTs in one transaction (one process, a file)
#   sqlite_select  as many point reads by primary key
# Prints operations per second side by side with the Mesh/Rust ratio (higher is better for
# Mesh). The Rust peer is built with cargo (crates.io); the database URL is never printed.
# Both sides connect without TLS (sslmode=disable): the peer's tokio-postgres runs with NoTls,
# while Mesh's default sslmode=prefer would encrypt against the test server (TLS on).
#
# Usage: scripts/bench/db.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
here=scripts/bench/db
target=${CARGO_TARGET_DIR:-target}
out=$target/bench/db
mkdir -p "$out"
source scripts/bench/lib.sh

# The Rust peer compiles SQLite (rusqlite `bundled`), which needs a C compiler.
ensure_tool cc gcc || exit 1

# shellcheck source=../pg.sh
source scripts/pg.sh
pg_start >&2
trap pg_stop EXIT

cargo build --release -q -p meshc -p mesh_rt
if ! target/release/meshc build "$here/bench.mpl" -o "$out/bench-mesh" --release > "$out/mesh-build.log" 2>&1; then
  echo "mesh: build failed (see $out/mesh-build.log)" >&2
  cat "$out/mesh-build.log" >&2
  exit 1
fi
if ! cargo build --release -q --manifest-path "$here/rust/Cargo.toml" --target-dir "$out/rust" > "$out/rust-build.log" 2>&1; then
  echo "rust: build failed (see $out/rust-build.log)" >&2
  cat "$out/rust-build.log" >&2
  exit 1
fi

# The same plain-TCP transport for both sides (see the header).
case $MESH_TEST_DATABASE_URL in
  *\?*) bench_url="$MESH_TEST_DATABASE_URL&sslmode=disable" ;;
  *) bench_url="$MESH_TEST_DATABASE_URL?sslmode=disable" ;;
esac

declare -A result
for peer in mesh rust; do
  case $peer in
    mesh) program=$out/bench-mesh ;;
    rust) program=$out/rust/release/db-bench ;;
  esac
  if ! DATABASE_URL=$bench_url BENCH_SQLITE_PATH=$out/$peer.sqlite "$program" > "$out/$peer.txt" 2> "$out/$peer.err"; then
    echo "$peer: the benchmark failed (see $out/$peer.err)" >&2
    cat "$out/$peer.err" >&2
    exit 1
  fi
  while read -r key value; do
    result[$peer,$key]=$value
  done < "$out/$peer.txt"
done

tests=(pg_select pg_insert sqlite_insert sqlite_select)
for t in "${tests[@]}"; do
  if [ "${result[mesh,${t}_ops]}" != "${result[rust,${t}_ops]}" ]; then
    echo "$t: Mesh saw ${result[mesh,${t}_ops]} rows, Rust ${result[rust,${t}_ops]}" >&2
    exit 1
  fi
done
echo "db: 16 processes/tasks over a pool of 8 (PostgreSQL $("${PG_BIN:-/usr/lib/postgresql/15/bin}/postgres" --version 2> /dev/null | awk '{print $3}'), loopback, no TLS); SQLite file, one process; $(nproc) cores"
printf '%-14s %10s %10s %12s %7s\n' test ops mesh_per_s rust_per_s ratio
for t in "${tests[@]}"; do
  awk -v t="$t" -v n="${result[mesh,${t}_ops]}" -v m="${result[mesh,${t}_per_s]}" -v r="${result[rust,${t}_per_s]}" \
    'BEGIN { printf "%-14s %10d %10d %12d %7.2f\n", t, n, m, r, m / r }'
done
