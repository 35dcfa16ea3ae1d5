#!/usr/bin/env bash
# A throwaway PostgreSQL for the database tests (docs: /work/shared/toolchain.md recipe).
#
#   source scripts/pg.sh; pg_start; ...; pg_stop     (scripts/test.sh does this)
#   bash scripts/pg.sh run CMD ARGS...               (runs one command against a server)
#
# pg_start installs Debian's `postgresql` when its server binaries are missing, starts a
# server on a free loopback port as the `postgres` user (the server refuses root) with TLS
# on (a fresh self-signed certificate) and a pg_hba.conf that makes members of the roles
# mesh_scram / mesh_md5 / mesh_clear (created here) use SCRAM-SHA-256 / MD5 / clear-text
# passwords (everything else is trusted), and exports MESH_TEST_DATABASE_URL. Tests create and drop
# their own databases and roles. When MESH_TEST_DATABASE_URL is already set, nothing is
# started. The URL is never printed.

pg_bindir() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
      echo "$d"
      return 0
    fi
  done
  return 1
}

# Installs the Debian packages named when their commands are missing (idempotent).
pg_install() {
  local want=()
  pg_bindir >/dev/null || want+=(postgresql)
  command -v openssl >/dev/null || want+=(openssl)
  [ ${#want[@]} -eq 0 ] && return 0
  echo "pg.sh: installing ${want[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q "${want[@]}" >/dev/null 2>&1 ||
    { apt-get update -q >/dev/null && apt-get install -y -q "${want[@]}" >/dev/null; }
  pg_bindir >/dev/null && command -v openssl >/dev/null
}

# A loopback TCP port nobody listens on (the server start retries on a race).
pg_free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return 0
    fi
  done
  return 1
}

pg_start() {
  if [ -n "${MESH_TEST_DATABASE_URL:-}" ]; then
    echo "pg.sh: using the server in MESH_TEST_DATABASE_URL"
    return 0
  fi
  pg_install || { echo "pg.sh: cannot install postgresql" >&2; return 1; }
  local bin as_pg=()
  bin=$(pg_bindir)
  if [ "$(id -u)" = 0 ]; then
    as_pg=(runuser -u postgres --)
  fi
  PG_DIR=$(mktemp -d /tmp/mesh-pg.XXXXXX)
  if [ "$(id -u)" = 0 ]; then chown postgres "$PG_DIR"; fi
  "${as_pg[@]}" "$bin/initdb" -D "$PG_DIR/data" -A trust -U postgres -E UTF8 --locale=C \
    --no-sync >"$PG_DIR/initdb.log" 2>&1 ||
    { cat "$PG_DIR/initdb.log" >&2; return 1; }
  "${as_pg[@]}" openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
    -keyout "$PG_DIR/data/server.key" -out "$PG_DIR/data/server.crt" >/dev/null 2>&1 ||
    { echo "pg.sh: openssl failed" >&2; return 1; }
  chmod 600 "$PG_DIR/data/server.key"
  "${as_pg[@]}" tee "$PG_DIR/data/pg_hba.conf" >/dev/null <<'HBA'
local all all                    trust
host  all +mesh_scram    127.0.0.1/32 scram-sha-256
host  all +mesh_md5      127.0.0.1/32 md5
host  all +mesh_clear    127.0.0.1/32 password
host  all all           127.0.0.1/32 trust
host  all all           ::1/128      trust
HBA
  local port started=0
  for _ in 1 2 3 4 5; do
    port=$(pg_free_port) || break
    if "${as_pg[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w -t 30 \
      -o "-h 127.0.0.1 -p $port -k $PG_DIR -c fsync=off -c synchronous_commit=off \
          -c full_page_writes=off -c max_connections=300 -c ssl=on" start >/dev/null; then
      started=1
      break
    fi
  done
  if [ "$started" != 1 ]; then
    echo "pg.sh: the server did not start; its log:" >&2
    cat "$PG_DIR/log" >&2
    return 1
  fi
  PG_BIN=$bin
  "${as_pg[@]}" "$bin/psql" -h "$PG_DIR" -p "$port" -U postgres -d postgres -q -v ON_ERROR_STOP=1 \
    -c "CREATE ROLE mesh_scram NOLOGIN; CREATE ROLE mesh_md5 NOLOGIN; CREATE ROLE mesh_clear NOLOGIN" ||
    { echo "pg.sh: cannot create the authentication test roles" >&2; return 1; }
  export MESH_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
  echo "pg.sh: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
}

pg_stop() {
  [ -n "${PG_DIR:-}" ] || return 0
  local as_pg=()
  if [ "$(id -u)" = 0 ]; then as_pg=(runuser -u postgres --); fi
  "${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
  PG_DIR=
  unset MESH_TEST_DATABASE_URL
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  if [ "${1:-}" != run ] || [ $# -lt 2 ]; then
    echo "usage: bash scripts/pg.sh run CMD ARGS..." >&2
    exit 2
  fi
  shift
  pg_start
  trap pg_stop EXIT
  status=0
  "$@" || status=$?
  exit "$status"
fi
