#!/usr/bin/env bash
# Replays the failover proof of the PostgreSQL starter (tooling spec §9.1, §9.4) with retained,
# redacted artifacts:
#   DATABASE_URL=<admin URL of a disposable PostgreSQL> bash scripts/verify-todo-postgres-failover.sh
# Requires IPv6 loopback (checked up front). Replays scripts/verify-todo-postgres-deploy.sh first
# (its status.txt must be ok), then runs `todo_postgres_staged_failover` and retains its bundle.
# Artifacts: .tmp/verify-todo-postgres-failover/verify/ (status.txt, current-phase.txt,
# phase-report.txt, full-contract.log, <phase>.log) and a retained bundle under
# .tmp/verify-todo-postgres-failover/proof-bundles/<UTC timestamp>/ (latest-proof-bundle.txt).
set -uo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/verify.sh"
VERIFY_STYLE=say
verify_init verify-todo-postgres-failover
# Paths as the messages and the phases of this script show them: relative to ROOT (the
# working directory).
NAME=$name ROOT=$root RUN=.tmp/$name/verify RUN_ABS=$run BUNDLES=.tmp/$name/proof-bundles
export NAME ROOT RUN RUN_ABS

phase tool-preflight 30 "cargo, python3, psql, curl, timeout" verify_tools cargo python3 psql curl timeout

# --- IPv6 loopback: the standby listens on [::1]
ipv6_loopback() {
  python3 - <<'PY'
import socket, sys
try:
    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    s.bind(("::1", 0))
    s.listen(1)
    c = socket.create_connection(("::1", s.getsockname()[1]), timeout=5)
    c.close()
    s.close()
except OSError as e:
    print(f"IPv6 loopback [::1] is required by scripts/verify-todo-postgres-failover.sh but is unavailable: {e}")
    sys.exit(1)
print("IPv6 loopback [::1] accepts connections")
PY
}
export -f ipv6_loopback
phase ipv6-loopback 30 "bind and connect on [::1]" ipv6_loopback

# --- DATABASE_URL preflight (the URL is never echoed)
phase database-preflight 60 "DATABASE_URL=<redacted> preflight" verify_database_reachable

# --- the staged deploy proof of §9.3 first
DEPLOY_SCRIPT="$ROOT/scripts/verify-todo-postgres-deploy.sh"
DEPLOY_STATUS="$ROOT/.tmp/verify-todo-postgres-deploy/verify/status.txt"
export DEPLOY_SCRIPT DEPLOY_STATUS
deploy_replay() {
  if [ ! -f "$DEPLOY_SCRIPT" ]; then
    echo "scripts/verify-todo-postgres-deploy.sh is missing: the failover proof replays the deploy proof first"
    return 1
  fi
  echo "DATABASE_URL=<redacted> bash scripts/verify-todo-postgres-deploy.sh"
  bash "$DEPLOY_SCRIPT" || return 1
  local status
  status="$(cat "$DEPLOY_STATUS" 2>/dev/null || echo missing)"
  if [ "$status" != ok ]; then
    echo "$DEPLOY_STATUS is '$status', expected 'ok'"
    return 1
  fi
  echo "deploy proof status: ok"
}
export -f deploy_replay
phase deploy-replay 3600 "scripts/verify-todo-postgres-deploy.sh (status.txt must be ok)" deploy_replay

# --- build meshc once
build_meshc() {
  cargo build -p meshc -p mesh_rt
}
export -f build_meshc
phase build-meshc 1800 "cargo build -p meshc -p mesh_rt" build_meshc

# --- the failover test, its artifacts in the run directory
export TODO_PG_FAILOVER_ARTIFACTS="$RUN_ABS/failover-artifacts"
export MESH_TEST_DATABASE_URL="$DATABASE_URL"
failover_test() {
  cargo test -p meshc --test todo_postgres_failover todo_postgres_staged_failover -- --exact --include-ignored --nocapture --test-threads=1
}
export -f failover_test
phase staged-failover 1200 "DATABASE_URL=<redacted> cargo test -p meshc --test todo_postgres_failover todo_postgres_staged_failover" failover_test
ran_tests staged-failover

# --- retain artifacts
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
export BUNDLE="$BUNDLES/$STAMP"
retain() {
  mkdir -p "$BUNDLE"
  cp -r "$TODO_PG_FAILOVER_ARTIFACTS" "$BUNDLE/failover-artifacts" || return 1
  cp "$DEPLOY_STATUS" "$BUNDLE/deploy-proof-status.txt" || return 1
  local deploy_bundle
  deploy_bundle="$(cat "$ROOT/.tmp/verify-todo-postgres-deploy/verify/latest-proof-bundle.txt" 2>/dev/null || true)"
  echo "${deploy_bundle:-none}" >"$BUNDLE/deploy-proof-bundle.path.txt"
  verify_seal_bundle "$BUNDLE"
}
export -f retain
phase retain-artifacts 120 "copy artifacts to $BUNDLE" retain

redaction() {
  # Commands are logged as DATABASE_URL=<redacted>; anything else is a leak.
  local leaks
  leaks=$(verify_url_leaks "$BUNDLE" "$RUN")
  # The test's cluster cookie is todo-pg-failover-cookie-<pid>.
  if grep -rIqF -- "todo-pg-failover-cookie-" "$BUNDLE" "$RUN" 2>/dev/null; then
    leaks="$leaks (the cluster cookie)"
  fi
  if [ -n "$leaks" ]; then
    echo "secret-looking text in:$leaks"
    return 1
  fi
  echo "no URL, DATABASE_URL=, postgres:// or cookie text in the retained artifacts"
}
export -f redaction
phase redaction 120 "scan retained artifacts for secrets" redaction

bundle_shape() {
  local missing=0 a="failover-artifacts"
  for p in manifest.txt phase-report.txt deploy-proof-status.txt $a/scenario-meta.json \
    $a/primary.log $a/standby.log $a/primary-rejoined.log $a/stage-deploy.log \
    $a/apply-deploy-migrations.log $a/02-health-primary.http $a/02-health-standby.http \
    $a/09-status-standby.json $a/10-diagnostics-standby.json $a/12-get-deleted.http \
    $a/14-diagnostics-old-primary.json $a/15-startup-record-old-primary.json; do
    if [ -e "$BUNDLE/$p" ]; then echo "present: $p"; else
      echo "missing: $p"
      missing=1
    fi
  done
  python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); assert all(m.get(k) for k in ("primary_node","standby_node","initial_attempt_id","failover_attempt_id","todo_id")), m' \
    "$BUNDLE/$a/scenario-meta.json" || missing=1
  return "$missing"
}
export -f bundle_shape
phase bundle-shape 60 "retained bundle shape" bundle_shape

verify_ok "$ROOT/$BUNDLE"
