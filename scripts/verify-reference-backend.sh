#!/usr/bin/env bash
# Replays the whole reference-backend proof (tooling spec §9.1–§9.2) with retained, redacted
# artifacts:
#   DATABASE_URL=<admin URL of a disposable PostgreSQL> bash scripts/verify-reference-backend.sh
# Artifacts: .tmp/verify-reference-backend/verify/ (status.txt, current-phase.txt,
# phase-report.txt, full-contract.log, <phase>.log) and a retained bundle under
# .tmp/verify-reference-backend/proof-bundles/<UTC timestamp>/ (latest-proof-bundle.txt).
set -uo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/verify.sh"
VERIFY_STYLE=say
verify_init verify-reference-backend
# Paths as the messages and the phases of this script show them: relative to ROOT (the
# working directory).
NAME=$name ROOT=$root RUN=.tmp/$name/verify RUN_ABS=$run BUNDLES=.tmp/$name/proof-bundles
export NAME ROOT RUN RUN_ABS

phase tool-preflight 30 "cargo, python3, psql, curl" verify_tools cargo python3 psql curl timeout

# --- build meshc once
phase build-meshc 1800 "cargo build -p meshc -p mesh_rt" verify_build_meshc
verify_locate_meshc
export MESHC_BIN=$MESHC

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
phase database-preflight 60 "DATABASE_URL=<redacted> preflight" verify_database_reachable
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
  verify_seal_bundle "$BUNDLE"
}
export -f retain
phase retain-artifacts 120 "copy artifacts to $BUNDLE" retain

redaction() {
  # Commands are logged as DATABASE_URL=<redacted>; anything else is a leak.
  local leaks
  leaks=$(verify_url_leaks "$BUNDLE" "$RUN")
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

verify_ok "$ROOT/$BUNDLE"
