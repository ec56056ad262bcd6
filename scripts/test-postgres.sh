#!/usr/bin/env bash
# Starts (or stops) a throwaway PostgreSQL cluster on loopback for the test suite.
#   eval "$(scripts/test-postgres.sh start)"   # prints the exports the tests read
#   scripts/test-postgres.sh stop
# PostgreSQL refuses to run as root, so the cluster runs as the `postgres` user when we are root.
set -euo pipefail
root=${HPSEARCH_PG_ROOT:-/tmp/hpsearch-test-pg}
port=${HPSEARCH_PG_PORT:-54329}
password=hpsearch-test-secret
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bin" ] || bin=$(dirname "$(command -v pg_ctl)")
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "${1:-start}" in
  start)
    if [ ! -d "$root/data" ]; then
      mkdir -p "$root"
      [ "$(id -u)" = 0 ] && chown postgres "$root"
      printf '%s\n' "$password" > "$root/pw"
      [ "$(id -u)" = 0 ] && chown postgres "$root/pw"
      as_pg "$bin/initdb" -D "$root/data" -U hpsearch --pwfile="$root/pw" \
        --auth-local=trust --auth-host=scram-sha-256 >"$root/initdb.log" 2>&1
    fi
    as_pg "$bin/pg_ctl" -D "$root/data" -l "$root/server.log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $root -c max_connections=200" start >/dev/null || true
    echo "export HPSEARCH_TEST_POSTGRES='postgresql://hpsearch:$password@127.0.0.1:$port/postgres'"
    echo "export HPSEARCH_TEST_PGDATA='$root/data'"
    echo "export HPSEARCH_TEST_PGCTL='$(if [ "$(id -u)" = 0 ]; then echo "runuser -u postgres -- "; fi)$bin/pg_ctl'"
    ;;
  stop)
    as_pg "$bin/pg_ctl" -D "$root/data" -m fast stop >/dev/null 2>&1 || true
    ;;
esac
