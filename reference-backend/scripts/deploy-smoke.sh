#!/usr/bin/env bash
# Probes a running reference-backend (tooling spec §7.9): waits for a ready /health, creates a
# job and waits until it is processed. The last line printed is the final job JSON.
#   PORT=18080 BASE_URL=http://127.0.0.1:18080 ./deploy-smoke.sh
set -euo pipefail

fail() {
  echo "[deploy-smoke] $*" >&2
  exit 1
}

[ "$#" -eq 0 ] || fail "takes no arguments (configure with PORT and BASE_URL)"
command -v curl >/dev/null 2>&1 || fail "curl is required but was not found on PATH"
command -v python3 >/dev/null 2>&1 || fail "python3 is required but was not found on PATH"

PORT="${PORT:-18080}"
if ! [[ "$PORT" =~ ^[0-9]+$ ]] || [ "$((10#$PORT))" -le 0 ]; then
  fail "PORT must be a positive integer, got: $PORT"
fi
BASE_URL="${BASE_URL:-http://127.0.0.1:$PORT}"
case "$BASE_URL" in
  http://* | https://*) ;;
  *) fail "BASE_URL must start with http:// or https://, got: $BASE_URL" ;;
esac
BASE_URL="${BASE_URL%/}"

# field JSON KEY... : prints a (nested) field of a JSON document, "null" for null/missing.
field() {
  python3 - "$@" <<'PY'
import json, sys
try:
    value = json.loads(sys.argv[1])
    for key in sys.argv[2:]:
        value = value.get(key) if isinstance(value, dict) else None
except Exception:
    value = None
if value is None:
    print("null")
elif isinstance(value, bool):
    print("true" if value else "false")
else:
    print(value)
PY
}

echo "[deploy-smoke] waiting for health base_url=$BASE_URL"
body=""
ready=0
for n in $(seq 1 80); do
  body="$(curl -s --max-time 2 "$BASE_URL/health" || true)"
  status="$(field "$body" status)"
  liveness="$(field "$body" worker liveness)"
  active="$(field "$body" worker recovery_active)"
  echo "[deploy-smoke] health poll=$n status=$status liveness=$liveness recovery_active=$active"
  if [ "$status" = "ok" ] && [ "$liveness" = "healthy" ] && [ "$active" = "false" ]; then
    ready=1
    break
  fi
  sleep 0.25
done
[ "$ready" = 1 ] || fail "/health never became ready at $BASE_URL; last_body=$body"
echo "[deploy-smoke] health ready body=$body"

created="$(curl -s --max-time 5 -X POST -H 'content-type: application/json' \
  -d '{"kind":"deploy-smoke","attempt":1,"source":"deploy-smoke.sh"}' "$BASE_URL/jobs" || true)"
echo "[deploy-smoke] created job body=$created"
id="$(field "$created" id)"
[ "$id" != "null" ] && [ -n "$id" ] || fail "job creation returned no id; body=$created"

echo "[deploy-smoke] polling job id=$id"
for n in $(seq 1 80); do
  job="$(curl -s --max-time 2 "$BASE_URL/jobs/$id" || true)"
  status="$(field "$job" status)"
  processed_at="$(field "$job" processed_at)"
  echo "[deploy-smoke] poll=$n status=$status processed_at=$processed_at"
  if [ "$status" = "processed" ] && [ "$processed_at" != "null" ] && [ -n "$processed_at" ]; then
    echo "[deploy-smoke] processed job id=$id attempts=$(field "$job" attempts)"
    echo "$job"
    exit 0
  fi
  sleep 0.25
done
fail "job $id never reached processed state"
