#!/usr/bin/env bash
# Replays the whole reference-backend proof (tooling spec §9.1–§9.2) with retained, redacted
# artifacts:
#   DATABASE_URL=<admin URL of a disposable PostgreSQL> bash scripts/verify-reference-backend.sh
# Artifacts: .tmp/verify-reference-backend/verify/ (status.txt, current-phase.txt,
# phase-report.txt, full-contract.log, <phase>.log) and a retained bundle under
# .tmp/verify-reference-backend/proof-bundles/<UTC timestamp>/ (latest-proof-bundle.txt).
set -uo pipefail

NAME="verify-reference-backend"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

BASE=".tmp/$NAME"
RUN="$BASE/verify"
BUNDLES="$BASE/proof-bundles"
LATEST_SAVED=""
[ -f "$RUN/latest-proof-bundle.txt" ] && LATEST_SAVED="$(cat "$RUN/latest-proof-bundle.txt")"
rm -rf "$RUN"
mkdir -p "$RUN" "$BUNDLES"
[ -n "$LATEST_SAVED" ] && echo "$LATEST_SAVED" >"$RUN/latest-proof-bundle.txt"
RUN_ABS="$ROOT/$RUN"
FULL="$RUN/full-contract.log"
echo running >"$RUN/status.txt"
: >"$RUN/phase-report.txt"
: >"$FULL"

say() {
  echo "$*" | tee -a "$FULL"
}

drift() {
  local reason=$1 log=${2:-}
  echo failed >"$RUN/status.txt"
  say "verification drift: $reason"
  if [ -n "$log" ] && [ -f "$log" ]; then
    say "failing log: $ROOT/$log"
    say "--- head of $log"
    head -n 40 "$log" | tee -a "$FULL"
    say "--- tail of $log"
    tail -n 60 "$log" | tee -a "$FULL"
  fi
  exit 1
}

# phase NAME TIMEOUT_SECS DESCRIPTION CMD... : runs CMD with its output in <phase>.log.
phase() {
  local name=$1 secs=$2 desc=$3
  shift 3
  local log="$RUN/$name.log"
  echo "$name" >"$RUN/current-phase.txt"
  printf '%s\tstarted\n' "$name" >>"$RUN/phase-report.txt"
  say "== $name: $desc"
  # Functions and variables of this script are exported, so a phase may name a function.
  timeout --kill-after=10 "$secs" bash -c '"$@"' "$name" "$@" >"$log" 2>&1
  local status=$?
  cat "$log" >>"$FULL"
  if [ "$status" -ne 0 ]; then
    printf '%s\tfailed\n' "$name" >>"$RUN/phase-report.txt"
    if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
      drift "phase $name timed out after ${secs}s" "$log"
    fi
    drift "phase $name failed (exit $status)" "$log"
  fi
  printf '%s\tpassed\n' "$name" >>"$RUN/phase-report.txt"
  say "== $name: passed"
}

# Asserts that a cargo test phase ran at least one test and none failed.
ran_tests() {
  local name=$1 log="$RUN/$1.log"
  grep -qE '^test result: ok\. [1-9][0-9]* passed' "$log" ||
    drift "phase $name ran no test (a filter that matches nothing is a failure)" "$log"
}

# --- tool preflight
preflight_tools() {
  local missing=0
  for tool in cargo python3 psql curl timeout; do
    if command -v "$tool" >/dev/null 2>&1; then
      echo "found $tool"
    else
      echo "required tool missing from PATH: $tool"
      missing=1
    fi
  done
  return "$missing"
}
export -f preflight_tools
phase tool-preflight 30 "cargo, python3, psql, curl" preflight_tools

# --- build meshc once
build_meshc() {
  if [ -n "${MESHC:-}" ]; then
    echo "using MESHC=$MESHC"
    return 0
  fi
  cargo build -p meshc -p mesh_rt
}
export -f build_meshc
phase build-meshc 1800 "cargo build -p meshc -p mesh_rt" build_meshc
export MESHC_BIN="${MESHC:-$ROOT/target/debug/meshc}"
export MESHC="$MESHC_BIN" NAME ROOT RUN RUN_ABS

package_tests() {
  "$MESHC_BIN" test reference-backend || return 1
}
export -f package_tests
phase package-tests 600 "meshc test reference-backend" package_tests
grep -qE '^test result: ok\. [1-9][0-9]* passed; 0 failed; 0 compile errors; 2 files' "$RUN/package-tests.log" ||
  drift "meshc test reference-backend did not pass 2 files" "$RUN/package-tests.log"

phase fmt-check 120 "meshc fmt --check reference-backend" "$MESHC_BIN" fmt --check reference-backend

build_runtime() {
  local out="$RUN_ABS/build/reference-backend"
  mkdir -p "$RUN_ABS/build"
  "$MESHC_BIN" build reference-backend --output "$out" || return 1
  [ -x "$out" ] || return 1
  python3 -c 'import json,sys; print(json.dumps({"source_package_dir": sys.argv[1], "binary_path": sys.argv[2]}))' \
    "$ROOT/reference-backend" "$out" >"$RUN_ABS/build/build-output.json"
  cat "$RUN_ABS/build/build-output.json"
}
export -f build_runtime
phase runtime-build 600 "meshc build reference-backend --output $RUN/build/reference-backend" build_runtime

export MESH_E2E_ARTIFACTS="$RUN_ABS/e2e-artifacts"
cargo_proof() {
  cargo test -p meshc --test e2e_reference_backend "$1" -- --exact --include-ignored --nocapture --test-threads=1
}
export -f cargo_proof
phase build-without-database 1200 "e2e_reference_backend_builds" env -u DATABASE_URL -u MESH_TEST_DATABASE_URL \
  bash -c 'cargo_proof e2e_reference_backend_builds'
ran_tests build-without-database
phase stage-without-database 600 "e2e_reference_backend_stage_deploy_bundle" env -u DATABASE_URL -u MESH_TEST_DATABASE_URL \
  bash -c 'cargo_proof e2e_reference_backend_stage_deploy_bundle'
ran_tests stage-without-database

# --- DATABASE_URL preflight (the URL is never echoed)
database_preflight() {
  if [ -z "${DATABASE_URL:-}" ]; then
    echo "DATABASE_URL must be set for scripts/$NAME.sh"
    return 1
  fi
  case "$DATABASE_URL" in
    postgres://* | postgresql://*) ;;
    *)
      echo "DATABASE_URL must start with postgres:// or postgresql://"
      return 1
      ;;
  esac
  if [ "$(printf '%s' "$DATABASE_URL" | wc -l)" -ne 0 ]; then
    echo "DATABASE_URL must not contain newlines"
    return 1
  fi
  psql -X -q -t -A -d "$DATABASE_URL" -c "SELECT 'server reachable'" 2>&1 | sed 's#postgres[a-z]*://[^ ]*#<redacted>#g'
  [ "${PIPESTATUS[0]}" -eq 0 ]
}
export -f database_preflight
phase database-preflight 60 "DATABASE_URL=<redacted> preflight" database_preflight
export MESH_TEST_DATABASE_URL="$DATABASE_URL"

db_proof() {
  local name=$1 secs=$2
  phase "$name" "$secs" "DATABASE_URL=<redacted> cargo test -p meshc --test e2e_reference_backend e2e_reference_backend_$name" \
    cargo_proof "e2e_reference_backend_$name"
  ran_tests "$name"
}

db_proof migration_status_and_apply 600

# --- developer smoke on its own database
developer_smoke() {
  local db="mesh_smoke_$$_$RANDOM" url status
  url="$(python3 -c 'import sys,urllib.parse as u; p=u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/"+sys.argv[2])))' "$DATABASE_URL" "$db")"
  psql -X -q -d "$DATABASE_URL" -c "CREATE DATABASE \"$db\" TEMPLATE template0" || return 1
  status=0
  echo "DATABASE_URL=<redacted> meshc migrate reference-backend up"
  DATABASE_URL="$url" "$MESHC_BIN" migrate reference-backend up || status=1
  if [ "$status" -eq 0 ]; then
    echo "DATABASE_URL=<redacted> PORT=<free> JOB_POLL_MS=200 reference-backend/scripts/smoke.sh"
    DATABASE_URL="$url" PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')" \
      JOB_POLL_MS=200 bash reference-backend/scripts/smoke.sh || status=1
  fi
  psql -X -q -d "$DATABASE_URL" -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" || true
  return "$status"
}
export -f developer_smoke
phase developer-smoke 600 "reference-backend/scripts/smoke.sh with JOB_POLL_MS=200" developer_smoke

db_proof deploy_artifact_smoke 900
db_proof worker_crash_recovers_job 600
db_proof worker_restart_is_visible_in_health 600
db_proof process_restart_recovers_inflight_job 600
db_proof config_errors 600
db_proof job_flow_updates_health_and_db 600
db_proof multi_instance_claims_once 600
db_proof fault_knobs_off_by_default 600
db_proof deploy_sql_matches_migration 600
db_proof supervisor_gives_up_exits_1 600
db_proof stall_watchdog_restarts_worker 600
db_proof load_with_sigkill_restarts 900

# --- retain artifacts
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
export BUNDLE="$BUNDLES/$STAMP"
retain() {
  mkdir -p "$BUNDLE"
  cp -r "$RUN_ABS/build" "$BUNDLE/runtime-build"
  mkdir -p "$BUNDLE/smoke"
  cp -r .tmp/reference-backend/smoke/build "$BUNDLE/smoke/build"
  cp .tmp/reference-backend/smoke/reference-backend.log "$BUNDLE/smoke/reference-backend.log"
  cp -r "$MESH_E2E_ARTIFACTS" "$BUNDLE/e2e-artifacts"
  for f in "$RUN"/*.log "$RUN/phase-report.txt"; do
    cp "$f" "$BUNDLE/"
  done
  (cd "$BUNDLE" && find . -type f ! -name manifest.txt | LC_ALL=C sort >manifest.txt)
  echo "retained $(wc -l <"$BUNDLE/manifest.txt") files in $BUNDLE"
}
export -f retain
phase retain-artifacts 120 "copy artifacts to $BUNDLE" retain

redaction() {
  local hits
  hits="$(grep -rIl -e 'postgres://' -e 'postgresql://' -e 'DATABASE_URL=' "$BUNDLE" "$RUN" 2>/dev/null |
    grep -v '/full-contract.log$' || true)"
  # Commands are logged as DATABASE_URL=<redacted>; anything else is a leak.
  local leaks=""
  for f in $hits; do
    if grep -I -e 'postgres://' -e 'postgresql://' "$f" >/dev/null 2>&1 ||
      grep -I 'DATABASE_URL=' "$f" | grep -v 'DATABASE_URL=<redacted>' | grep -v 'DATABASE_URL=…' >/dev/null 2>&1; then
      leaks="$leaks $f"
    fi
  done
  if grep -rIqF -- "$DATABASE_URL" "$BUNDLE" "$RUN" 2>/dev/null; then
    leaks="$leaks (the database URL itself)"
  fi
  if [ -n "$leaks" ]; then
    echo "secret-looking text in:$leaks"
    return 1
  fi
  echo "no URL, DATABASE_URL= or postgres:// text in the retained artifacts"
}
export -f redaction
phase redaction 120 "scan retained artifacts for secrets" redaction

bundle_shape() {
  local missing=0
  for p in runtime-build/reference-backend runtime-build/build-output.json smoke/build/reference-backend \
    smoke/reference-backend.log manifest.txt phase-report.txt \
    e2e-artifacts/deploy_artifact_smoke e2e-artifacts/worker_crash_recovers_job \
    e2e-artifacts/worker_restart_is_visible_in_health e2e-artifacts/process_restart_recovers_inflight_job; do
    if [ -e "$BUNDLE/$p" ]; then echo "present: $p"; else
      echo "missing: $p"
      missing=1
    fi
  done
  ls "$BUNDLE"/e2e-artifacts/worker_restart_is_visible_in_health/*health*.json >/dev/null 2>&1 ||
    { echo "no /health snapshots retained"; missing=1; }
  return "$missing"
}
export -f bundle_shape
phase bundle-shape 60 "retained bundle shape" bundle_shape

echo "$ROOT/$BUNDLE" >"$RUN/latest-proof-bundle.txt"
echo complete >"$RUN/current-phase.txt"
echo ok >"$RUN/status.txt"
say "artifacts: $ROOT/$RUN"
say "bundle: $ROOT/$BUNDLE"
say "$NAME: ok"
