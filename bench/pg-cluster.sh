#!/usr/bin/env bash
# Start or stop a throwaway PostgreSQL cluster for benchmarks: loopback only, in bench/work/pg.
#   bench/pg-cluster.sh start PORT   -> prints the postgres:// URL of a fresh database "calllog"
#   bench/pg-cluster.sh stop
# As root, the server runs as the postgres user (initdb refuses root).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dir="$here/work/pg"
bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "${1:-}" in
  start)
    port="${2:-55432}"
    as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$dir" && mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres: "$dir"
    as_pg "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C >/dev/null
    # Benchmark settings for a 2-core, 24 GiB machine; durability is kept (fsync on) so figures are honest.
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o \
      "-p $port -c listen_addresses=127.0.0.1 -k $dir -c shared_buffers=2GB -c work_mem=64MB -c maintenance_work_mem=1GB -c max_wal_size=8GB -c max_connections=200" \
      start >/dev/null
    as_pg "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres calllog
    echo "postgres://postgres@127.0.0.1:$port/calllog"
    ;;
  stop)
    as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start [PORT] | stop" >&2; exit 2 ;;
esac
