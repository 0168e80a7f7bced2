#!/usr/bin/env bash
# Import speed on one store at several sizes, each into an empty store, timed by calllog itself:
#   1. `calllog demo --calls N`: generated calls (what bench/run.sh times);
#   2. `calllog import FILE`: the same calls exported as NDJSON, read back (what a user's import does).
# with the import's peak RSS (/usr/bin/time). Loopback only; PostgreSQL in a throwaway cluster.
#
#   bench/import.sh --store sqlite|postgres [--calls "100000 1000000 10000000"]
#
# Writes bench/results/<date>-import-<store>.md.
set -euo pipefail
trap 'exit 130' INT TERM
here="$(cd "$(dirname "$0")" && pwd)"
store=sqlite sizes="100000 1000000 10000000"
while [ $# -gt 0 ]; do
  case "$1" in
    --store) store="$2"; shift 2 ;;
    --calls) sizes="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
work="$here/work/import" && rm -rf "$work" && mkdir -p "$work" "$here/results"
dotnet publish "$here/../src/CallLog" -c Release -o "$work/app" --nologo -v quiet >/dev/null
[ "$store" = postgres ] && trap '"$here/pg-cluster.sh" stop; rm -rf "$work"' EXIT || trap 'rm -rf "$work"' EXIT

# timed ARGS...: calllog's own summary line, then its peak RSS in MiB.
timed() {
  local line
  line="$(/usr/bin/time -f '%M' -o "$work/rss" dotnet "$work/app/calllog.dll" "$@")"
  echo "${line##*$'\n'}|$(( $(tail -n 1 "$work/rss") / 1024 ))"
}
# A fresh, empty store for each import.
fresh() {
  if [ "$store" = postgres ]; then
    "$here/pg-cluster.sh" start 55432
  else
    rm -f "$work"/calls.db*
    echo "$work/calls.db"
  fi
}

rows=()
for calls in $sizes; do
  db="$(fresh)"
  demo="$(timed demo --calls "$calls" --db "$db")"
  dotnet "$work/app/calllog.dll" export --db "$db" > "$work/calls.ndjson"
  db="$(fresh)"
  import="$(timed import "$work/calls.ndjson" --db "$db")"
  rm -f "$work/calls.ndjson"
  rows+=("$calls|$demo|$import")
  echo "$calls: demo $demo; import $import"
done
[ "$store" = postgres ] && "$here/pg-cluster.sh" stop

rate() { sed -n 's/.*(\([0-9,]*\) calls\/s).*/\1/p' <<<"$1"; }
seconds() { sed -n 's/.* in \([0-9.]*\) s .*/\1/p' <<<"$1"; }
out="$here/results/$(date -u +%Y-%m-%d)-import-$store.md"
{
  echo "# Import, $store"
  echo
  echo "- Command: \`bench/import.sh --store $store --calls \"$sizes\"\`"
  echo "- Machine: $(nproc) cores ($(lscpu | sed -n 's/^Model name: *//p' | head -1)), $(free -g | awk '/Mem:/ {print $2}') GiB"
  echo "- Date: $(date -u +%Y-%m-%dT%H:%MZ); built from $(git -C "$here/.." rev-parse --short HEAD)$(git -C "$here/.." diff --quiet HEAD -- src bench ':!bench/results' ':!*.md' || echo ' plus uncommitted changes to the code')"
  [ "$store" = postgres ] && echo "- PostgreSQL: bench/pg-cluster.sh's throwaway cluster (maintenance_work_mem 1GB, work_mem 64MB, max_wal_size 8GB)"
  echo
  echo "Each into an empty store. \`demo\` generates the calls as it imports them; \`import\` reads them"
  echo "back from an NDJSON export of the same calls. Seconds and calls/s as calllog reports them; peak RSS of"
  echo "the calllog process."
  echo
  echo "| calls | demo: s | demo: calls/s | demo: peak RSS | import: s | import: calls/s | import: peak RSS |"
  echo "|---:|---:|---:|---:|---:|---:|---:|"
  for row in "${rows[@]}"; do
    IFS='|' read -r calls demo demo_rss import import_rss <<<"$row"
    echo "| $calls | $(seconds "$demo") | $(rate "$demo") | $demo_rss MiB | $(seconds "$import") | $(rate "$import") | $import_rss MiB |"
  done
} > "$out"
echo "wrote $out"
