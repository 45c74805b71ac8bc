#!/usr/bin/env bash
# A throw-away PostgreSQL server for the store and register tests (CI and development).
#   .ci/postgres.sh start DIR   installs PostgreSQL from Debian's packages if missing, makes a cluster in
#                               DIR (trust auth, no TCP: a unix socket in DIR/sock), creates the database
#                               imtc_test and prints the URL for IMTC_TEST_PG_URL
#   .ci/postgres.sh stop DIR    stops it (DIR can then be removed)
set -euo pipefail
cmd=${1:?start or stop}
dir=$(realpath -m "${2:?a folder for the cluster}")
port=${IMTC_PG_PORT:-54329}

as_owner() {  # PostgreSQL refuses to run as root: as root, run as the postgres user
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

bindir() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1
}

case "$cmd" in
  start)
    if [ -z "$(bindir)" ]; then
      if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
      echo "== installing PostgreSQL (apt) ==" >&2
      $SUDO apt-get update -qq
      DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    fi
    bin=$(bindir)
    mkdir -p "$dir/sock"
    if [ "$(id -u)" = 0 ]; then chown -R postgres:postgres "$dir"; fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-c listen_addresses='' -k $dir/sock -p $port -c fsync=off" start >/dev/null
    as_owner "$bin/psql" -h "$dir/sock" -p "$port" -U postgres -qtAc \
      "SELECT 1 FROM pg_database WHERE datname = 'imtc_test'" | grep -q 1 \
      || as_owner "$bin/createdb" -h "$dir/sock" -p "$port" -U postgres imtc_test
    echo "postgresql+psycopg://postgres@/imtc_test?host=$dir/sock&port=$port"
    ;;
  stop)
    bin=$(bindir)
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
