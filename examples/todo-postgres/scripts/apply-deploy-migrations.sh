#!/usr/bin/env bash
# Applies the todo-postgres deploy SQL on a host without meshc:
#   DATABASE_URL=… ./apply-deploy-migrations.sh <sql-path>
# Checks afterwards that the migration is recorded and that the table and its index exist. The
# URL is never printed.
set -euo pipefail

VERSION=20250315091000

fail() {
  echo "[deploy-apply] $*" >&2
  exit 1
}

if [ "$#" -ne 1 ] || [ -z "${1:-}" ]; then
  echo "usage: apply-deploy-migrations.sh <sql-path>" >&2
  exit 1
fi
SQL_PATH="$1"

command -v psql >/dev/null 2>&1 || fail "psql is required but was not found on PATH"
[ -f "$SQL_PATH" ] || fail "missing deploy SQL artifact: $SQL_PATH"
[ -n "${DATABASE_URL:-}" ] || fail "DATABASE_URL must be set"

echo "[deploy-apply] sql artifact=$SQL_PATH"
echo "[deploy-apply] applying migration version=$VERSION via psql"
# psql's own messages are passed through with the URL (if it ever appeared) redacted.
redact() {
  local line
  while IFS= read -r line; do
    echo "${line//"$DATABASE_URL"/<redacted>}"
  done
}
if ! PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -d "$DATABASE_URL" -f "$SQL_PATH" 2> >(redact >&2) >/dev/null; then
  fail "psql failed while applying $SQL_PATH"
fi

# One catalog question, answered with the text of the first line psql prints.
ask() {
  psql -X -q -t -A -v ON_ERROR_STOP=1 -d "$DATABASE_URL" -c "$1" 2>/dev/null || true
}

if [ "$(ask "SELECT count(*) FROM _mesh_migrations WHERE version = $VERSION")" != "1" ]; then
  fail "migration record missing after apply version=$VERSION"
fi
echo "[deploy-apply] migration recorded version=$VERSION"
if [ "$(ask "SELECT to_regclass('public.todos') IS NOT NULL")" != "t" ]; then
  fail "todos table missing after apply"
fi
if [ "$(ask "SELECT to_regclass('public.idx_todos_created_at') IS NOT NULL")" != "t" ]; then
  fail "idx_todos_created_at missing after apply"
fi
echo "[deploy-apply] schema ready table=todos index=idx_todos_created_at"
