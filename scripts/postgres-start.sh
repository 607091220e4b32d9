#!/usr/bin/env bash
# Install (Debian's package) and start a throw-away PostgreSQL for the test suite, as the
# postgres user (PostgreSQL refuses to run as root). Prints the DATABASE_URL to use.
#   scripts/postgres-start.sh            -> starts on port ${PGPORT:-55432}, data in ${PGDATA_DIR}
#   scripts/postgres-start.sh stop
set -euo pipefail
PGPORT=${PGPORT:-55432}
PGDATA_DIR=${PGDATA_DIR:-/tmp/lianxin-pg-$PGPORT}
DB=${PGDATABASE_NAME:-lianxin_test}

find_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ "${1:-}" = stop ]; then
  BIN=$(find_bin); as_postgres "$BIN/pg_ctl" -D "$PGDATA_DIR" -m fast stop || true
  exit 0
fi

BIN=$(find_bin)
if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ]; then
  echo "installing PostgreSQL from Debian's packages..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
  BIN=$(find_bin)
fi
VERSION=$("$BIN/postgres" --version | awk '{print $3}')
echo "PostgreSQL $VERSION at $BIN" >&2
id postgres >/dev/null 2>&1 || useradd --system --home /var/lib/postgresql postgres

if [ ! -f "$PGDATA_DIR/PG_VERSION" ]; then
  mkdir -p "$PGDATA_DIR"
  chown postgres "$PGDATA_DIR" 2>/dev/null || true
  as_postgres "$BIN/initdb" -D "$PGDATA_DIR" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
fi
if ! as_postgres "$BIN/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1; then
  as_postgres "$BIN/pg_ctl" -D "$PGDATA_DIR" -l "$PGDATA_DIR/server.log" -w \
    -o "-p $PGPORT -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off" start >&2
fi
as_postgres "$BIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -tAc \
  "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1 \
  || as_postgres "$BIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres "$DB"
echo "postgresql://postgres@127.0.0.1:$PGPORT/$DB"
