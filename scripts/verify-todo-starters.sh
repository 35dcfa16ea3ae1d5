#!/usr/bin/env bash
# Starter runtime truth (tooling spec §9.5, conventions §9.1): the scaffold tooling tests, the
# examples parity check, the runtime proofs of §8.5 and `meshc fmt --check` over every scaffold,
# with a live smoke of the SQLite starter whose HTTP answers are retained.
#
#   bash scripts/verify-todo-starters.sh
#
# Artifacts: .tmp/verify-todo-starters/verify/ (status.txt, current-phase.txt, phase-report.txt,
# full-contract.log, <phase>.log, latest-proof-bundle.txt) and the retained bundles under
# .tmp/verify-todo-starters/proof-bundles/<UTC timestamp>/. MESHC overrides the meshc used.
#
# The SQLite starter is verified today. The PostgreSQL starter's phases (DATABASE_URL
# preflight, todo_postgres_* proofs, its scaffold and fmt check) join `sqlite_phases` in
# `main` as `postgres_phases` once `meshc init --template todo-api --db postgres` exists.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
name=verify-todo-starters
base=$root/.tmp/$name
run=$base/verify
bundles=$base/proof-bundles

# The wipe keeps the pointer to the last good bundle.
latest=""
[[ -f $run/latest-proof-bundle.txt ]] && latest=$(cat "$run/latest-proof-bundle.txt")
rm -rf "$run"
mkdir -p "$run" "$bundles"
[[ -n $latest ]] && echo "$latest" >"$run/latest-proof-bundle.txt"
echo running >"$run/status.txt"
: >"$run/phase-report.txt"
exec > >(tee -a "$run/full-contract.log") 2>&1

drift() {
  local reason=$1 log=${2:-}
  echo "verification drift: $reason"
  if [[ -n $log && -f $log ]]; then
    echo "log: $log"
    echo "--- head ---"
    head -n 40 "$log"
    echo "--- tail ---"
    tail -n 40 "$log"
  fi
  echo failed >"$run/status.txt"
  exit 1
}

# phase NAME TIMEOUT_SECONDS COMMAND…: runs the command with its output in <phase>.log.
phase() {
  local phase=$1 limit=$2
  shift 2
  local log=$run/$phase.log
  echo "$phase" >"$run/current-phase.txt"
  printf '%s\tstarted\n' "$phase" >>"$run/phase-report.txt"
  echo "== $phase"
  local status=0
  # Shell functions run in a child bash (timeout runs programs) with errexit, so any failing
  # command fails the phase; they and the paths are exported.
  timeout --kill-after=10 "$limit" bash -euo pipefail -c '"$@"' "$phase" "$@" >"$log" 2>&1 || status=$?
  if [[ $status != 0 ]]; then
    printf '%s\tfailed\n' "$phase" >>"$run/phase-report.txt"
    if [[ $status == 124 || $status == 137 ]]; then
      drift "phase $phase timed out after ${limit}s" "$log"
    fi
    drift "phase $phase failed (exit $status)" "$log"
  fi
  printf '%s\tpassed\n' "$phase" >>"$run/phase-report.txt"
}

# A phase running a cargo test filter must run at least one test.
tests_ran() {
  local log=$run/$1.log
  grep -Eq 'test result: ok\. [1-9][0-9]* passed' "$log" ||
    drift "phase $1 ran no test (the filter matched nothing)" "$log"
}

preflight() {
  local tool
  for tool in cargo curl timeout git; do
    command -v "$tool" >/dev/null || {
      echo "missing tool: $tool"
      return 1
    }
    echo "$tool: $(command -v "$tool")"
  done
}

build_meshc() {
  if [[ -n "${MESHC:-}" ]]; then
    echo "MESHC=$MESHC"
  else
    cargo build -p meshc -p mesh_rt
  fi
}

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

sqlite_phases() {
  phase sqlite-scaffold 600 sqlite_scaffold
  phase sqlite-runtime-proofs 900 cargo test -p meshc --test todo_sqlite todo_sqlite_
  tests_ran sqlite-runtime-proofs
  phase sqlite-smoke 120 sqlite_smoke
}

retain() {
  local stamp bundle
  stamp=$(date -u +%Y%m%dT%H%M%SZ)
  bundle=$bundles/$stamp
  mkdir -p "$bundle"
  cp -a "$run/scaffold/todo-starter" "$bundle/generated-todo-sqlite"
  rm -rf "$bundle/generated-todo-sqlite/.mesh"
  cp -a "$run/http" "$bundle/http"
  mkdir -p "$bundle/logs"
  cp "$run"/*.log "$bundle/logs/"
  # The runtime proofs' own server logs.
  for d in "$root"/target/cli-tests/todo_sqlite_*; do
    [[ -d $d ]] || continue
    mkdir -p "$bundle/logs/$(basename "$d")"
    find "$d" -maxdepth 1 -name '*.std*' -exec cp {} "$bundle/logs/$(basename "$d")/" \;
  done
  (cd "$bundle" && find . -type f ! -name manifest.txt | LC_ALL=C sort >manifest.txt)
  echo "$bundle" >"$run/bundle-candidate.txt"
  echo "retained $bundle ($(wc -l <"$bundle/manifest.txt") files)"
}

redaction() {
  local bundle
  bundle=$(cat "$run/bundle-candidate.txt")
  [[ -d $bundle && -s $bundle/manifest.txt ]] || {
    echo "no retained bundle at '$bundle'"
    return 1
  }
  if grep -rlE 'postgres://|postgresql://|DATABASE_URL=' "$bundle"; then
    echo "secrets in the retained artifacts (files above)"
    return 1
  fi
  echo "no secrets in $bundle"
}

export -f preflight build_meshc sqlite_scaffold free_port sqlite_smoke retain redaction
export root run bundles

main() {
  phase tool-preflight 30 preflight
  phase build 1200 build_meshc
  MESHC=${MESHC:-$root/target/debug/meshc}
  [[ $MESHC == */* ]] && MESHC=$(realpath "$MESHC")
  export MESHC
  phase scaffold-tooling 900 cargo test -p meshc --bin meshc init::
  tests_ran scaffold-tooling
  phase scaffold-cli 900 cargo test -p meshc --test cli init_
  tests_ran scaffold-cli
  phase examples-parity 300 bash scripts/check-examples.sh
  sqlite_phases
  phase retain 60 retain
  phase redaction 60 redaction
  local bundle
  bundle=$(cat "$run/bundle-candidate.txt")
  echo "$bundle" >"$run/latest-proof-bundle.txt"
  echo complete >"$run/current-phase.txt"
  echo ok >"$run/status.txt"
  echo "artifacts: $run"
  echo "bundle: $bundle"
  echo "$name: ok"
}

main
