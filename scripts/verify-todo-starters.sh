#!/usr/bin/env bash
# Starter runtime truth (tooling spec §9.5, conventions §9.1): the scaffold tooling tests, the
# examples parity check, the runtime proofs of §8.5 and `meshc fmt --check` over every scaffold,
# with a live smoke of each starter whose HTTP answers are retained.
#
#   DATABASE_URL=postgres://… bash scripts/verify-todo-starters.sh
#
# DATABASE_URL is the admin URL of a disposable PostgreSQL server (required; never printed):
# the PostgreSQL proofs and the smoke create their own databases on it and drop them.
#
# Artifacts: .tmp/verify-todo-starters/verify/ (status.txt, current-phase.txt, phase-report.txt,
# full-contract.log, <phase>.log, latest-proof-bundle.txt) and the retained bundles under
# .tmp/verify-todo-starters/proof-bundles/<UTC timestamp>/. MESHC overrides the meshc used.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib/verify.sh"
VERIFY_ERREXIT=1
verify_init verify-todo-starters

sqlite_scaffold() {
  local dir=$run/scaffold
  rm -rf "$dir"
  mkdir -p "$dir"
  (cd "$dir" && "$MESHC" init --template todo-api --db sqlite todo-starter)
  [[ ! -e $dir/todo-starter/work.mpl ]] || {
    echo "the SQLite starter has a work.mpl"
    return 1
  }
  "$MESHC" fmt --check "$dir/todo-starter"
  "$MESHC" fmt --check "$root/examples/todo-sqlite"
  "$MESHC" test "$dir/todo-starter"
  "$MESHC" build "$dir/todo-starter" --output "$dir/todo-starter-bin"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null ||
    echo $((20000 + RANDOM % 20000))
}

# Starts the built scaffold, records every HTTP exchange under http/, checks the answers.
sqlite_smoke() {
  local dir=$run/scaffold http=$run/http port pid status
  mkdir -p "$http"
  port=$(free_port)
  PORT=$port TODO_DB_PATH=$dir/todo.sqlite3 TODO_RATE_LIMIT_WINDOW_SECONDS=60 TODO_RATE_LIMIT_MAX_REQUESTS=3 \
    "$dir/todo-starter-bin" >"$run/sqlite-server.log" 2>&1 &
  pid=$!
  trap 'kill "$pid" 2>/dev/null || true' RETURN
  for _ in $(seq 1 200); do
    curl -s -o /dev/null "http://127.0.0.1:$port/health" && break
    sleep 0.05
  done
  n=0
  # call EXPECTED_STATUS METHOD PATH [BODY]: saves NN-METHOD.txt with status and body.
  call() {
    local want=$1 method=$2 path=$3 body=${4:-}
    n=$((n + 1))
    local file
    file=$http/$(printf '%02d' "$n")-$method-$(echo "$path" | tr '/' '_').txt
    local got
    got=$(curl -s -o "$file.body" -w '%{http_code}' -X "$method" ${body:+-d "$body"} "http://127.0.0.1:$port$path")
    { echo "$method $path ${body}"; echo "$got"; cat "$file.body"; echo; } >"$file"
    rm -f "$file.body"
    cat "$file"
    [[ $got == "$want" ]] || {
      echo "expected $want, got $got"
      return 1
    }
  }
  call 200 GET /health
  grep -q '"db_backend":"sqlite"' "$http/01-GET-_health.txt"
  call 200 GET /todos
  call 400 GET /todos/abc
  call 404 GET /todos/999999
  call 400 POST /todos '{"title":"   "}'
  call 201 POST /todos '{"title":"buy milk"}'
  call 200 GET /todos/1
  call 200 PUT /todos/1
  call 429 POST /todos '{"title":"should fail"}'
  call 200 GET /todos
  grep -q '"completed":true' "$http/10-GET-_todos.txt"
  kill -TERM "$pid"
  wait "$pid" || status=$?
  cat "$run/sqlite-server.log"
  for line in "local config loaded" "SQLite schema ready" "local runtime ready" "HTTP server starting"; do
    grep -q "\[todo-api\] $line" "$run/sqlite-server.log" || {
      echo "missing log line: $line"
      return 1
    }
  done
}

# §9.1: the admin URL is required, a postgres:// or postgresql:// URL on one line.
database_preflight() {
  verify_database_url
  command -v psql >/dev/null || {
    echo "missing tool: psql"
    return 1
  }
  echo "DATABASE_URL=<redacted> (set)"
}

postgres_scaffold() {
  local dir=$run/scaffold-pg
  rm -rf "$dir"
  mkdir -p "$dir"
  (cd "$dir" && "$MESHC" init --template todo-api --db postgres todo-starter)
  local f
  for f in work.mpl migrations/20250315091000_create_todos.mpl deploy/todo-starter.up.sql \
    scripts/stage-deploy.sh scripts/apply-deploy-migrations.sh scripts/deploy-smoke.sh \
    Dockerfile docker-compose.yml .env.example; do
    [[ -f $dir/todo-starter/$f ]] || {
      echo "the PostgreSQL starter lacks $f"
      return 1
    }
  done
  "$MESHC" fmt --check "$dir/todo-starter"
  "$MESHC" fmt --check "$root/examples/todo-postgres"
  "$MESHC" test "$dir/todo-starter"
  "$MESHC" build "$dir/todo-starter" --output "$dir/todo-starter-bin"
}

# The proofs of §8.5 read the server from MESH_TEST_DATABASE_URL.
postgres_proofs() {
  MESH_TEST_DATABASE_URL=$DATABASE_URL cargo test -p meshc --test todo_postgres todo_postgres_
}

# The admin URL with its database replaced by $1 (printed to a pipe, never to the log).
database_url_for() {
  python3 - "$1" <<'PY'
import os, sys, urllib.parse
u = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
print(urllib.parse.urlunsplit((u.scheme, u.netloc, "/" + sys.argv[1], u.query, u.fragment)))
PY
}

# A migrated database, the built scaffold as a single cluster node, every HTTP exchange
# recorded under http-postgres/ (with headers), the startup record from `meshc cluster`.
postgres_smoke() {
  local dir=$run/scaffold-pg http=$run/http-postgres db=verify_todo_starters_$$ url port cport pid node
  mkdir -p "$http"
  psql -X -q -v ON_ERROR_STOP=1 -d "$DATABASE_URL" -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" -c "CREATE DATABASE \"$db\" TEMPLATE template0"
  url=$(database_url_for "$db")
  port=$(free_port)
  cport=$(free_port)
  node=todo-starter@127.0.0.1:$cport
  trap 'kill "$pid" 2>/dev/null || true; psql -X -q -d "$DATABASE_URL" -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" || true' RETURN
  echo "DATABASE_URL=<redacted> $MESHC migrate todo-starter up"
  DATABASE_URL=$url "$MESHC" migrate "$dir/todo-starter" up
  echo "starting the starter port=$port node=$node"
  DATABASE_URL=$url PORT=$port TODO_RATE_LIMIT_WINDOW_SECONDS=60 TODO_RATE_LIMIT_MAX_REQUESTS=20 \
    MESH_CLUSTER_COOKIE=$PG_COOKIE MESH_NODE_NAME=$node MESH_CLUSTER_PORT=$cport \
    MESH_DISCOVERY_SEED=localhost MESH_CONTINUITY_ROLE=primary MESH_CONTINUITY_PROMOTION_EPOCH=0 \
    "$dir/todo-starter-bin" >"$run/postgres-server.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 200); do
    curl -s -o /dev/null "http://127.0.0.1:$port/health" && break
    sleep 0.05
  done
  n=0
  # call EXPECTED_STATUS METHOD PATH [BODY]: saves NN-METHOD-PATH.txt with headers and body.
  call() {
    local want=$1 method=$2 path=$3 body=${4:-}
    n=$((n + 1))
    file=$http/$(printf '%02d' "$n")-$method-$(echo "$path" | tr '/' '_').txt
    curl -s -i -X "$method" ${body:+-d "$body"} "http://127.0.0.1:$port$path" | tr -d '\r' >"$file"
    echo "== $method $path $body"
    cat "$file"
    echo
    [[ $(head -n 1 "$file") == *" $want "* ]] || {
      echo "expected $want"
      return 1
    }
  }
  # has_key FILE PREFIX / no_key FILE: the continuity header (present with the prefix, or absent).
  has_key() { grep -qi "^x-mesh-continuity-request-key: $2" "$1" || { echo "no $2 key in $1"; return 1; }; }
  no_key() { ! grep -qi '^x-mesh-continuity-request-key:' "$1" || { echo "unexpected key in $1"; return 1; }; }
  local missing=/todos/7c9e6679-7425-40de-944b-e07fc1f90ae7
  call 200 GET /health
  grep -q '"clustered_handler":"Work.sync_todos"' "$file"
  no_key "$file"
  call 200 GET /todos
  has_key "$file" "http-route::Api.Todos.handle_list_todos::"
  call 404 GET "$missing"
  has_key "$file" "http-route::Api.Todos.handle_get_todo::"
  call 400 GET /todos/not-a-uuid
  call 400 POST /todos '{"title":"   "}'
  call 201 POST /todos '{"title":"buy milk"}'
  no_key "$file"
  local id
  id=$(sed -n 's/.*"id":"\([0-9a-f-]*\)".*/\1/p' "$file")
  [[ -n $id ]] || { echo "no id in $file"; return 1; }
  call 200 GET "/todos/$id"
  has_key "$file" "http-route::Api.Todos.handle_get_todo::"
  call 200 PUT "/todos/$id"
  grep -q '"completed":true' "$file"
  no_key "$file"
  call 200 GET /todos
  grep -q "\"id\":\"$id\"" "$file"
  call 200 DELETE "/todos/$id"
  no_key "$file"
  call 200 GET /todos
  [[ $(tail -n 1 "$file") == "[]" ]]
  local record=$http/continuity-startup.json ok=0
  for _ in $(seq 1 100); do
    if "$MESHC" cluster continuity "$node" startup::Work.sync_todos --cookie "$PG_COOKIE" --json >"$record" 2>"$record.err" &&
      grep -q '"phase": "completed"' "$record"; then
      ok=1
      break
    fi
    sleep 0.2
  done
  cat "$record" "$record.err"
  rm -f "$record.err"
  [[ $ok == 1 ]] || { echo "startup::Work.sync_todos never completed"; return 1; }
  grep -q '"result": "succeeded"' "$record"
  kill -TERM "$pid"
  wait "$pid" || true
  cat "$run/postgres-server.log"
  for line in "Config loaded" "Connecting to PostgreSQL pool" "PostgreSQL pool ready" \
    "runtime bootstrap mode=cluster" "Runtime registry ready" "Runtime ready port=$port db_backend=postgres" \
    "HTTP server starting on :$port"; do
    grep -q "\[todo-api\] $line" "$run/postgres-server.log" || {
      echo "missing log line: $line"
      return 1
    }
  done
}

postgres_phases() {
  phase postgres-scaffold 600 postgres_scaffold
  phase postgres-runtime-proofs 900 postgres_proofs
  ran_tests postgres-runtime-proofs
  phase postgres-smoke 180 postgres_smoke
}

sqlite_phases() {
  phase sqlite-scaffold 600 sqlite_scaffold
  phase sqlite-runtime-proofs 900 cargo test -p meshc --test todo_sqlite todo_sqlite_
  ran_tests sqlite-runtime-proofs
  phase sqlite-smoke 120 sqlite_smoke
}

retain() {
  local bundle
  bundle=$(verify_bundle_dir)
  mkdir -p "$bundle"
  cp -a "$run/scaffold/todo-starter" "$bundle/generated-todo-sqlite"
  rm -rf "$bundle/generated-todo-sqlite/.mesh"
  cp -a "$run/scaffold-pg/todo-starter" "$bundle/generated-todo-postgres"
  rm -rf "$bundle/generated-todo-postgres/.mesh"
  cp -a "$run/http" "$bundle/http"
  cp -a "$run/http-postgres" "$bundle/http-postgres"
  mkdir -p "$bundle/logs"
  cp "$run"/*.log "$bundle/logs/"
  # The runtime proofs' own server logs.
  for d in "$root"/target/cli-tests/todo_sqlite_* "$root"/target/cli-tests/todo_postgres_*; do
    [[ -d $d ]] || continue
    mkdir -p "$bundle/logs/$(basename "$d")"
    find "$d" -maxdepth 1 \( -name '*.std*' -o -name '*.log' \) -exec cp {} "$bundle/logs/$(basename "$d")/" \;
  done
  verify_manifest "$bundle"
  echo "$bundle" >"$run/bundle-candidate.txt"
  echo "retained $bundle ($(wc -l <"$bundle/manifest.txt") files)"
}

redaction() {
  local bundle
  verify_candidate
  # The generated projects' own docs and samples show example URLs (no real secret): the
  # scan covers everything else, plus the cookie used by the smoke anywhere.
  # (`DATABASE_URL=<redacted>` is how the logs show a command's environment.)
  if grep -rlE 'postgres://|postgresql://|DATABASE_URL=([^<]|$)' "$bundle" \
    --exclude-dir=generated-todo-postgres --exclude-dir=generated-todo-sqlite; then
    echo "secrets in the retained artifacts (files above)"
    return 1
  fi
  if grep -rlF -e "$PG_COOKIE" -e "$DATABASE_URL" "$bundle"; then
    echo "the cluster cookie or the database URL in the retained artifacts (files above)"
    return 1
  fi
  echo "no secrets in $bundle"
}

export -f sqlite_scaffold free_port sqlite_smoke retain redaction \
  database_preflight postgres_scaffold postgres_proofs database_url_for postgres_smoke
# The cookie of the smoke's cluster node: random per run, scanned for by the redaction.
PG_COOKIE=verify-todo-starters-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
export PG_COOKIE

main() {
  phase tool-preflight 30 verify_tools cargo curl timeout git
  phase database-preflight 10 database_preflight
  phase build 1200 verify_build_meshc
  verify_locate_meshc
  phase scaffold-tooling 900 cargo test -p meshc --bin meshc init::
  ran_tests scaffold-tooling
  phase scaffold-cli 900 cargo test -p meshc --test cli init_
  ran_tests scaffold-cli
  phase examples-parity 300 bash scripts/check-examples.sh
  sqlite_phases
  postgres_phases
  phase retain 60 retain
  phase redaction 60 redaction
  verify_ok "$(cat "$run/bundle-candidate.txt")"
}

main
