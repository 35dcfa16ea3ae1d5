#!/usr/bin/env bash
# Checks that the public proof documentation of the reference backend (its README runbook and
# docs/production-backend-proof.md) names only commands, files and fields that exist, and
# lists every proof command and /health field (tooling spec §7.11, §7.12):
#   bash reference-backend/scripts/verify-production-proof-surface.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

README="reference-backend/README.md"
PAGE="docs/production-backend-proof.md"
TESTS="meshc/cli/tests/e2e_reference_backend.rs"
HEALTH="reference-backend/api/health.mpl"
problems=0

drift() {
  echo "[proof-surface] drift: $*" >&2
  problems=$((problems + 1))
}

for f in "$README" "$PAGE" "$TESTS" "$HEALTH"; do
  [ -f "$f" ] || { echo "[proof-surface] missing file: $f" >&2; exit 1; }
done

# 1. Every command of §7.12 appears verbatim in both documents.
required_commands=(
  "cargo run -p meshc -- build reference-backend"
  "cargo run -p meshc -- fmt --check reference-backend"
  "cargo run -p meshc -- test reference-backend"
  "bash reference-backend/scripts/verify-production-proof-surface.sh"
)
for proof in migration_status_and_apply deploy_artifact_smoke worker_crash_recovers_job \
  worker_restart_is_visible_in_health process_restart_recovers_inflight_job; do
  required_commands+=("DATABASE_URL=… cargo test -p meshc --test e2e_reference_backend e2e_reference_backend_${proof} -- --ignored --nocapture")
done
for doc in "$README" "$PAGE"; do
  for cmd in "${required_commands[@]}"; do
    grep -qF -- "$cmd" "$doc" || drift "$doc does not list: $cmd"
  done
done

# 2. Every test named in the documents exists in the test target (and is a test).
for doc in "$README" "$PAGE"; do
  for name in $(grep -oE 'e2e_reference_backend_[a-z0-9_]+' "$doc" | sort -u); do
    grep -qE "^fn ${name}\(\)" "$TESTS" || drift "$doc names $name, which is not a test in $TESTS"
  done
done
# ... and every test of the target is documented on the proof page.
for name in $(grep -oE '^fn e2e_reference_backend_[a-z0-9_]+' "$TESTS" | sed 's/^fn //'); do
  grep -qF "$name" "$PAGE" || drift "$PAGE does not describe the test $name"
done

# 3. Every repository path named in the documents exists.
for doc in "$README" "$PAGE"; do
  for path in $(grep -oE '(reference-backend|scripts|docs|meshc)/[A-Za-z0-9_./-]+\.(mpl|sh|sql|md|rs|toml)' "$doc" | sort -u); do
    # A path is repository-relative, or package-relative (`scripts/smoke.sh`).
    [ -e "$path" ] || [ -e "reference-backend/$path" ] || drift "$doc names $path, which does not exist"
  done
done
# Bundle-relative script names in the README exist in the package.
for f in stage-deploy.sh apply-deploy-migrations.sh deploy-smoke.sh smoke.sh; do
  grep -qF "$f" "$README" || drift "$README does not mention $f"
  [ -x "reference-backend/scripts/$f" ] || drift "reference-backend/scripts/$f is missing or not executable"
done

# 4. /health fields: the worker fields the handler renders are the fields the README's table
# documents, and the proof page's recovery fields are among them.
served=$(sed -n '/json {/,/}/p' "$HEALTH" | grep -oE '^\s+[a-z_]+:' | tr -d ' :' | sort -u)
[ -n "$served" ] || drift "no fields found in $HEALTH"
for field in $served; do
  grep -qE "\`${field}\`" "$README" || drift "$README does not document the /health field $field"
done
documented=$(sed -n '/^## `\/health`/,/^## /p' "$README" | grep -oE '^\| `[a-z_]+`(, `[a-z_]+`)*' | grep -oE '[a-z_]+' | sort -u)
for field in $documented; do
  echo "$served" | grep -qx "$field" || drift "$README documents /health field $field, which $HEALTH does not serve"
done
recovery_fields=(restart_count last_exit_reason recovered_jobs last_recovery_at last_recovery_job_id last_recovery_count recovery_active)
for field in "${recovery_fields[@]}"; do
  echo "$served" | grep -qx "$field" || drift "recovery field $field is not served by $HEALTH"
  grep -qE "^\| \`${field}\` \|" "$PAGE" || drift "$PAGE does not describe the recovery field $field"
done
for field in $(sed -n '/^## Recovery fields/,/^## /p' "$PAGE" | grep -oE '^\| `[a-z_]+`' | grep -oE '[a-z_]+'); do
  echo "$served" | grep -qx "$field" || drift "$PAGE documents field $field, which $HEALTH does not serve"
done

# 5. The fault-injection knobs and their flag are documented and exist in the worker.
for knob in crash_after_claim_once hold_after_claim_once JOB_FAULT_INJECTION; do
  grep -qF "$knob" "$README" || drift "$README does not mention $knob"
  grep -rqF "$knob" reference-backend/jobs reference-backend/config.mpl || drift "$knob is not implemented"
done

if [ "$problems" -ne 0 ]; then
  echo "[proof-surface] $problems problem(s)" >&2
  exit 1
fi
echo "[proof-surface] ok: $README and $PAGE name only existing commands, files and fields"
