#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: Debian's postgresql package,
# initdb and pg_ctl as the postgres user into a temporary folder, reached
# only through a Unix socket in that folder (listen_addresses='').
#
#   cluster.sh start DIR   makes and starts it; prints the database's URI
#   cluster.sh stop DIR    stops it and removes DIR
#   cluster.sh run CMD...  starts one, runs CMD with LEADFLOW_PG set to its
#                          URI (and LEADFLOW_PG_DIR to its folder, for a test
#                          that stops and starts it), stops and removes it
#                          whatever CMD did
#   cluster.sh restart DIR [SECONDS]  stops it, waits, starts it again
#
# LF_PG_LISTEN (addresses) and LF_PG_NET (a CIDR) make start listen on those
# addresses too, trusting clients from that network: the test of servers in
# network namespaces reaches it over its private veth links.
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/initdb" ] || { echo "cluster.sh: PostgreSQL's initdb is missing (apt-get install postgresql)" >&2; exit 2; }

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# listen_addresses from postgresql.conf when a test set it there, else none
launch() {
  local dir=$1 listen="-c listen_addresses=''"
  grep -q '^listen_addresses' "$dir/data/postgresql.conf" && listen=
  as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 \
    -o "$listen -k $dir -c fsync=on -c max_connections=100" start >/dev/null
}

start() {
  local dir=$1
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
  as_postgres "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale >/dev/null
  if [ -n "${LF_PG_LISTEN:-}" ]; then
    echo "listen_addresses = '$LF_PG_LISTEN'" >>"$dir/data/postgresql.conf"
    echo "host all all $LF_PG_NET trust" >>"$dir/data/pg_hba.conf"
  fi
  launch "$dir"
  as_postgres "$bin/createdb" -h "$dir" -U postgres leadflow
  echo "postgresql://postgres@/leadflow?host=$dir"
}

stop() {
  local dir=$1
  if [ -d "$dir/data" ]; then
    as_postgres "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

restart() {
  local dir=$1
  as_postgres "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
  sleep "${2:-0}"
  launch "$dir"
}

case "${1:-}" in
  start) start "$2" ;;
  stop) stop "$2" ;;
  restart) restart "$2" "${3:-0}" ;;
  run)
    shift
    dir=$(mktemp -d /tmp/lf-pg.XXXXXX)
    trap 'stop "$dir"' EXIT
    LEADFLOW_PG=$(start "$dir") LEADFLOW_PG_DIR=$dir "$@"
    ;;
  *) echo "usage: cluster.sh start DIR | stop DIR | run CMD..." >&2; exit 2 ;;
esac
