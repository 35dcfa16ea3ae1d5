#!/usr/bin/env bash
# Developer loop (tooling spec §7.9): builds reference-backend outside the package, starts it
# against DATABASE_URL and probes it with deploy-smoke.sh. The server is always stopped.
#   DATABASE_URL=… [PORT=18080] [JOB_POLL_MS=500] reference-backend/scripts/smoke.sh
set -euo pipefail

fail() {
  echo "[smoke] $*" >&2
  exit 1
}

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PACKAGE_DIR="$(cd "$SCRIPT_DIR/.." && pwd)"
REPO_ROOT="$(cd "$PACKAGE_DIR/.." && pwd)"
MESHC_BIN="${MESHC:-meshc}"

[ -n "${DATABASE_URL:-}" ] || fail "DATABASE_URL must be set"
command -v "$MESHC_BIN" >/dev/null 2>&1 || fail "required command missing from PATH: meshc"
command -v psql >/dev/null 2>&1 || fail "psql is required but was not found on PATH"

export PORT="${PORT:-18080}"
export JOB_POLL_MS="${JOB_POLL_MS:-500}"

HAS_JOBS="$(psql -X -q -t -A -d "$DATABASE_URL" -c "SELECT to_regclass('public.jobs') IS NOT NULL" 2>/dev/null || true)"
if [ "$HAS_JOBS" != "t" ]; then
  fail "the jobs table is missing: run 'meshc migrate reference-backend up' or 'reference-backend/scripts/apply-deploy-migrations.sh reference-backend/deploy/reference-backend.up.sql' first"
fi

WORK="$REPO_ROOT/.tmp/reference-backend/smoke"
BUILD_DIR="$WORK/build"
LOG="$WORK/reference-backend.log"
mkdir -p "$BUILD_DIR"
BINARY="$BUILD_DIR/reference-backend"

echo "[smoke] building reference-backend into $BINARY"
"$MESHC_BIN" build "$PACKAGE_DIR" --output "$BINARY"

echo "[smoke] starting reference-backend on :$PORT"
(cd "$BUILD_DIR" && exec ./reference-backend) >"$LOG" 2>&1 &
SERVER_PID=$!

cleanup() {
  local status=$?
  if kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in 1 2 3 4 5 6 7 8 9 10; do
      kill -0 "$SERVER_PID" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  wait "$SERVER_PID" 2>/dev/null || true
  if [ "$status" -ne 0 ]; then
    echo "[smoke] server log tail ($LOG):" >&2
    tail -n 40 "$LOG" >&2 || true
  fi
  exit "$status"
}
trap cleanup EXIT

echo "[smoke] probing running instance via deploy-smoke.sh"
BASE_URL="http://127.0.0.1:$PORT" bash "$SCRIPT_DIR/deploy-smoke.sh"
