#!/bin/sh
# Entrypoint of the test PostgreSQL image (scripts/docker/images.sh): the subset of the official
# postgres image's contract the starters' compose file and our container tests use.
#   POSTGRES_PASSWORD  password of POSTGRES_USER (required unless POSTGRES_HOST_AUTH_METHOD=trust)
#   POSTGRES_USER      superuser name (default postgres)
#   POSTGRES_DB        database created at first start (default: POSTGRES_USER)
#   PGDATA             data directory (default /var/lib/postgresql/data)
#   POSTGRES_INITDB_ARGS  extra initdb arguments (tests pass --no-sync)
# Like the official image, local (socket) connections are trusted; TCP ones need the password.
# Arguments other than `postgres …` run as a command instead (e.g. `psql`, `pg_isready`).
set -eu
BIN=$(ls -d /usr/lib/postgresql/*/bin | head -n1)
PATH="$BIN:$PATH"
export PATH
if [ "$#" -gt 0 ] && [ "$1" != "postgres" ]; then
  exec "$@"
fi
[ "$#" -gt 0 ] && shift
: "${PGDATA:=/var/lib/postgresql/data}"
: "${POSTGRES_USER:=postgres}"
: "${POSTGRES_DB:=$POSTGRES_USER}"
AUTH=${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}
as_pg() { setpriv --reuid=postgres --regid=postgres --init-groups "$@"; }

mkdir -p "$PGDATA" /run/postgresql
chown postgres:postgres "$PGDATA" /run/postgresql
chmod 700 "$PGDATA"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "$AUTH" != "trust" ]; then
    echo "mesh-postgres: POSTGRES_PASSWORD must be set (or POSTGRES_HOST_AUTH_METHOD=trust)" >&2
    exit 1
  fi
  PWFILE=$(mktemp)
  printf '%s\n' "${POSTGRES_PASSWORD:-}" >"$PWFILE"
  chown postgres "$PWFILE"
  as_pg initdb -D "$PGDATA" -U "$POSTGRES_USER" --pwfile="$PWFILE" --auth-local=trust --auth-host="$AUTH" ${POSTGRES_INITDB_ARGS:-} >/dev/null
  rm -f "$PWFILE"
  echo "host all all all $AUTH" >>"$PGDATA/pg_hba.conf"
  if [ "$POSTGRES_DB" != "postgres" ]; then
    as_pg postgres --single -D "$PGDATA" -c listen_addresses='' postgres >/dev/null <<SQL
CREATE DATABASE "$POSTGRES_DB" OWNER "$POSTGRES_USER";
SQL
  fi
  echo "mesh-postgres: initialised $PGDATA (database $POSTGRES_DB)"
fi
exec setpriv --reuid=postgres --regid=postgres --init-groups \
  postgres -D "$PGDATA" -c listen_addresses='*' -c unix_socket_directories=/run/postgresql "$@"
