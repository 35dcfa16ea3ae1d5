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

NAME="verify-todo-postgres-failover"
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
export NAME ROOT RUN RUN_ABS
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
phase tool-preflight 30 "cargo, python3, psql, curl, timeout" preflight_tools

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
  for f in "$RUN"/*.log "$RUN/phase-report.txt"; do
    cp "$f" "$BUNDLE/"
  done
  (cd "$BUNDLE" && find . -type f ! -name manifest.txt | LC_ALL=C sort >manifest.txt)
  echo "retained $(wc -l <"$BUNDLE/manifest.txt") files in $BUNDLE"
}
export -f retain
phase retain-artifacts 120 "copy artifacts to $BUNDLE" retain

redaction() {
  local hits leaks=""
  hits="$(grep -rIl -e 'postgres://' -e 'postgresql://' -e 'DATABASE_URL=' "$BUNDLE" "$RUN" 2>/dev/null |
    grep -v '/full-contract.log$' || true)"
  # Commands are logged as DATABASE_URL=<redacted>; anything else is a leak.
  for f in $hits; do
    if grep -I -e 'postgres://' -e 'postgresql://' "$f" >/dev/null 2>&1 ||
      grep -I 'DATABASE_URL=' "$f" | grep -v 'DATABASE_URL=<redacted>' | grep -v 'DATABASE_URL=…' >/dev/null 2>&1; then
      leaks="$leaks $f"
    fi
  done
  if grep -rIqF -- "$DATABASE_URL" "$BUNDLE" "$RUN" 2>/dev/null; then
    leaks="$leaks (the database URL itself)"
  fi
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

echo "$ROOT/$BUNDLE" >"$RUN/latest-proof-bundle.txt"
echo complete >"$RUN/current-phase.txt"
echo ok >"$RUN/status.txt"
say "artifacts: $ROOT/$RUN"
say "bundle: $ROOT/$BUNDLE"
say "$NAME: ok"
