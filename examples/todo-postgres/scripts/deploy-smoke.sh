#!/usr/bin/env bash
# Probes a running todo-postgres: waits for a ready /health, then creates, fetches, toggles, lists and
# deletes one todo. The last line printed is the final list JSON.
#   PORT=8080 BASE_URL=http://127.0.0.1:8080 ./deploy-smoke.sh
set -euo pipefail

fail() {
  echo "[deploy-smoke] $*" >&2
  exit 1
}

[ "$#" -eq 0 ] || fail "takes no arguments (configure with PORT and BASE_URL)"
command -v curl >/dev/null 2>&1 || fail "curl is required but was not found on PATH"
command -v python3 >/dev/null 2>&1 || fail "python3 is required but was not found on PATH"

PORT="${PORT:-8080}"
if ! [[ "$PORT" =~ ^[0-9]+$ ]] || [ "$((10#$PORT))" -le 0 ]; then
  fail "PORT must be a positive integer, got: $PORT"
fi
BASE_URL="${BASE_URL:-http://127.0.0.1:$PORT}"
case "$BASE_URL" in
  http://* | https://*) ;;
  *) fail "BASE_URL must start with http:// or https://, got: $BASE_URL" ;;
esac
BASE_URL="${BASE_URL%/}"

# field JSON KEY : prints a field of a JSON object, "null" for null/missing/not JSON.
field() {
  python3 - "$@" <<'PY'
import json, sys
try:
    value = json.loads(sys.argv[1])
    value = value.get(sys.argv[2]) if isinstance(value, dict) else None
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

# list_has JSON ID : "yes" when the JSON array holds a todo with that id, "no" otherwise,
# "invalid" when it is not an array.
list_has() {
  python3 - "$@" <<'PY'
import json, sys
try:
    todos = json.loads(sys.argv[1])
except Exception:
    todos = None
if not isinstance(todos, list):
    print("invalid")
else:
    print("yes" if any(isinstance(t, dict) and t.get("id") == sys.argv[2] for t in todos) else "no")
PY
}

echo "[deploy-smoke] waiting for health base_url=$BASE_URL"
body=""
ready=0
for n in $(seq 1 80); do
  body="$(curl -s --max-time 2 "$BASE_URL/health" || true)"
  status="$(field "$body" status)"
  backend="$(field "$body" db_backend)"
  handler="$(field "$body" clustered_handler)"
  echo "[deploy-smoke] health poll=$n status=$status db_backend=$backend clustered_handler=$handler"
  if [ "$status" = "ok" ] && [ "$backend" = "postgres" ] && [ "$handler" = "Work.sync_todos" ]; then
    ready=1
    break
  fi
  sleep 0.25
done
[ "$ready" = 1 ] || fail "/health never became ready at $BASE_URL; last_body=$body"
echo "[deploy-smoke] health ready body=$body"

title="deploy smoke todo"
echo "[deploy-smoke] creating todo via POST $BASE_URL/todos"
created="$(curl -s --max-time 5 -X POST -H 'content-type: application/json' \
  -d "{\"title\":\"$title\"}" "$BASE_URL/todos" || true)"
id="$(field "$created" id)"
[ "$id" != "null" ] && [ -n "$id" ] || fail "todo creation returned no id; body=$created"
[ "$(field "$created" title)" = "$title" ] || fail "created todo has another title; body=$created"

echo "[deploy-smoke] fetching todo id=$id"
fetched="$(curl -s --max-time 5 "$BASE_URL/todos/$id" || true)"
[ "$(field "$fetched" title)" = "$title" ] || fail "fetched todo does not match; body=$fetched"

echo "[deploy-smoke] toggling todo id=$id"
toggled="$(curl -s --max-time 5 -X PUT "$BASE_URL/todos/$id" || true)"
[ "$(field "$toggled" completed)" = "true" ] || fail "toggle did not complete the todo; body=$toggled"

echo "[deploy-smoke] listing todos"
listed="$(curl -s --max-time 5 "$BASE_URL/todos" || true)"
[ "$(list_has "$listed" "$id")" = "yes" ] || fail "list does not contain id=$id; body=$listed"

echo "[deploy-smoke] deleting todo id=$id"
deleted="$(curl -s --max-time 5 -X DELETE "$BASE_URL/todos/$id" || true)"
[ "$(field "$deleted" id)" = "$id" ] || fail "delete answered another id; body=$deleted"

final="$(curl -s --max-time 5 "$BASE_URL/todos" || true)"
[ "$(list_has "$final" "$id")" = "no" ] || fail "list still contains id=$id after delete; body=$final"
echo "[deploy-smoke] CRUD smoke passed id=$id"
echo "$final"
