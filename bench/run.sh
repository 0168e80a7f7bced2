#!/usr/bin/env bash
# The list endpoint under load, on one store at one size, beside its two limits. Loopback only, bounded in time.
#
#   bench/run.sh --store sqlite|postgres --calls N [--mix-duration SECONDS] [--duration SECONDS] [--connections C]
#
# Builds Release, generates N demo calls (timed), starts `calllog serve` on 127.0.0.1 (and, for
# PostgreSQL, a throwaway cluster), then, from wrk in another process:
#   1. the mixed workload (bench/mix.lua) against CallLog, against the framework ceiling (bench/Ceiling:
#      Kestrel serving CallLog's own response bytes after the same key check), and the same mix as plain
#      SQL with no HTTP, the store floor (bench/Floor: pgbench scripts, or a .NET loop over SQLite);
#   2. one request shape at a time, for where the cost of each filter lies;
# and writes bench/results/<date>-<store>-<N>.md. SQLite data sets are kept in bench/work/ and reused.
set -euo pipefail
# Interrupted or killed, still run the EXIT trap: it stops the server (and the cluster) this run started.
trap 'exit 130' INT TERM
here="$(cd "$(dirname "$0")" && pwd)"
store=sqlite calls=100000 duration=10 mix_duration=30 connections=32 port=5199 ceiling_port=5198 plain_port=5197
while [ $# -gt 0 ]; do
  case "$1" in
    --store) store="$2"; shift 2 ;;
    --calls) calls="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --mix-duration) mix_duration="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

work="$here/work" && mkdir -p "$work" "$here/results"
pg_bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
for project in "../src/CallLog:app" "Ceiling:ceiling" "Floor:floor"; do
  dotnet publish "$here/${project%%:*}" -c Release -o "$work/${project#*:}" --nologo -v quiet >/dev/null
done
calllog() { dotnet "$work/app/calllog.dll" "$@"; }

if [ "$store" = postgres ]; then
  db="$("$here/pg-cluster.sh" start 55432)"
  trap '"$here/pg-cluster.sh" stop' EXIT
  import_line="$(calllog demo --calls "$calls" --db "$db")"
  # Measure the settled store, not autovacuum's first pass over the new table (which also sets the
  # visibility map that index-only scans rely on).
  "$pg_bin/psql" -q -h 127.0.0.1 -p 55432 -U postgres -d calllog -c "VACUUM (ANALYZE)"
else
  db="$work/sqlite-$calls.db"
  if [ -f "$db.ready" ]; then
    import_line="$(cat "$db.ready") (data set reused from an earlier run)"
  else
    rm -f "$db" "$db-wal" "$db-shm"
    import_line="$(calllog demo --calls "$calls" --db "$db")"
    echo "$import_line" > "$db.ready"
  fi
fi
echo "$import_line"
key="$(calllog keys create --name bench --permissions can_read_calls --rate-limit 0 --db "$db" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')"

if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
  echo "port $port is already in use; stop whatever listens there first" >&2
  exit 1
fi
# Started directly (not through the calllog function), so $! is the server itself: the trap stops it
# and /proc/$server is its memory.
dotnet "$work/app/calllog.dll" serve --db "$db" --urls "http://127.0.0.1:$port" >"$work/serve.log" 2>&1 &
server=$! other=""
trap 'kill $server $other 2>/dev/null || true; [ "$store" = postgres ] && "$here/pg-cluster.sh" stop' EXIT
# ready URL: waits (up to 20 s) until URL answers a list request with the key.
ready() { for _ in $(seq 1 100); do curl -fs -o /dev/null -H "Authorization: Bearer $key" "$1/api/v1/calls" && return; sleep 0.2; done; }
base="http://127.0.0.1:$port"
ready "$base"
kill -0 "$server" 2>/dev/null || { echo "calllog serve did not start:" >&2; cat "$work/serve.log" >&2; exit 1; }

depth=$(( calls >= 2000000 ? 1000000 : calls / 2 ))
cursor="$(python3 "$here/cursor-walk.py" "$base" "$key" "$depth")"
deep_page=$(( depth / 100 ))

# A real phone number and contact from the data, for the richer filters.
sample="$(curl -fs -H "Authorization: Bearer $key" "$base/api/v1/calls?limit=1&status=completed")"
phone="$(python3 -c 'import json,sys; print(json.load(sys.stdin)["calls"][0]["phone_number"][1:])' <<<"$sample")"
contact="$(python3 -c 'import json,sys; c=json.load(sys.stdin)["calls"][0]["contact"]; print(c["id"] if c else 1)' <<<"$sample")"

scenarios=(
  "seed default (page 1)|"
  "agent_id=12345|agent_id=12345"
  "status=completed|status=completed"
  "status=in-progress (rare)|status=in-progress"
  "type=inbound|type=inbound"
  "seed example: agent_id=12345&type=outbound&limit=25|agent_id=12345&type=outbound&page=1&limit=25"
  "agent + status + type|agent_id=12345&status=failed&type=inbound"
  "limit=100|limit=100"
  "count only (limit=1)|limit=1"
  "cursor at depth $depth, limit=100|limit=100&cursor=$cursor"
  "page 2 by cursor's twin: page=2, limit=100|limit=100&page=2"
  "offset page at depth $depth (page=$deep_page, limit=100; the same page again and again)|limit=100&page=$deep_page"
  "offset pages at random depths up to $depth (page=2..$deep_page, limit=100)|limit=100&page={random:2-$deep_page}"
  "status=completed,failed (a list)|status=completed,failed"
  "one day (started_after + started_before)|started_after=2025-06-29T00:00:00Z&started_before=2025-06-30T00:00:00Z"
  "one day, agent_id=12345, sort=-duration_seconds|agent_id=12345&started_after=2025-06-29T00:00:00Z&started_before=2025-06-30T00:00:00Z&sort=-duration_seconds"
  "phone_number exact|phone_number=%2B$phone"
  "phone_number prefix (+${phone:0:4}*)|phone_number=%2B${phone:0:4}*"
  "contact_id|contact_id=$contact"
  "sort=started_at (oldest first)|sort=started_at"
  "sort=-duration_seconds (longest first)|sort=-duration_seconds"
  "q=premium (no index: reads the workspace; at most two searches at once, the rest answered 503 server_busy, counted as errors)|q=premium"
)

# wrk's summary as "requests/s|p50|p99|p999|errors".
wrk_row() {
  local result rps p50 p99 p999 errors timeouts
  result="$(wrk "$@")"
  rps="$(awk '/Requests\/sec/ {print $2}' <<<"$result")"
  p50="$(awk '$1=="50%" {print $2}' <<<"$result")"
  p99="$(awk '$1=="99%" {print $2}' <<<"$result")"
  p999="$(awk '$1=="p99.9" {print $2}' <<<"$result")"
  errors="$(awk '/Non-2xx/ {print $NF}' <<<"$result")"
  timeouts="$(sed -n 's/.*timeout \([0-9]*\).*/\1/p' <<<"$result")"
  echo "$rps|$p50|$p99|${p999:-n/a}|${errors:-0}${timeouts:+ (+$timeouts timed out at 2 s)}"
}

# --- The mix, against CallLog, the framework ceiling and the store floor ------------------------------
# The deep page: offset 100,000, or the last page when the data set is smaller.
deep_offset=$(( calls > 100010 ? 100000 : calls - 10 ))
bodies="$work/bodies" && rm -rf "$bodies" && mkdir -p "$bodies"
for limit in 10 20 25 100; do curl -fs -H "Authorization: Bearer $key" "$base/api/v1/calls?limit=$limit" -o "$bodies/$limit.json"; done
# mix URL [SECONDS]
mix() { BENCH_KEY="$key" BENCH_DEEP_PAGE=$(( deep_offset / 10 + 1 )) wrk_row -t2 -c"$connections" -d"${2:-$mix_duration}s" --latency -s "$here/mix.lua" "$1"; }

# Each target gets an unmeasured run first, so that neither is measured while its JIT is still at work:
# with the load on both cores, CallLog's tiered JIT takes 10-15 s to settle (PostgreSQL at 1M: the mix's
# 10 s window after a 5 s warm-up ran at 1,222 requests/s, the next three at 1,593-1,720).
warm() { mix "$1" 15 >/dev/null; }
# CPU time around a window, for where the machine's time goes per request. cpu_mark PID: clock ticks used
# so far by PID, by PostgreSQL's processes (the postmaster and its children; 0 for SQLite, which runs inside
# the server), by the whole machine, and the machine's ticks busy or not.
store_pids() {
  [ "$store" = postgres ] || return 0
  local postmaster
  postmaster="$(head -n 1 "$work/pg/data/postmaster.pid")"
  echo "$postmaster" && pgrep -P "$postmaster" || true
}
ticks_of() { local sum=0 pid; for pid in "$@"; do sum=$(( sum + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0) )); done; echo "$sum"; }
# shellcheck disable=SC2046
cpu_mark() { echo "$(ticks_of "$1") $(ticks_of $(store_pids)) $(awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9}' /proc/stat)"; }
# cpu_per_request BEFORE AFTER REQUESTS_PER_S SECONDS: microseconds per request of the server, the store's
# processes, everything else busy (wrk, the kernel's threads), the machine busy, and the machine in all.
cpu_per_request() {
  python3 -c "
import os, sys
b, a = [list(map(int, x.split())) for x in sys.argv[1:3]]
n = float(sys.argv[3]) * float(sys.argv[4])
us = [(y - x) * 1e6 / os.sysconf('SC_CLK_TCK') / n for x, y in zip(b, a)]
print(' '.join(f'{v:.0f}' for v in (us[0], us[1], us[2] - us[0] - us[1], us[2], us[3])))" "$1" "$2" "$3" "$4"
}
warm "$base"
mark="$(cpu_mark "$server")"
ours="$(mix "$base")"
read -r cpu_server cpu_store cpu_rest cpu_busy cpu_all <<<"$(cpu_per_request "$mark" "$(cpu_mark "$server")" "${ours%%|*}" "$mix_duration")"
echo "CallLog, mix: $ours; CPU per request, microseconds: server $cpu_server, store $cpu_store, rest $cpu_rest"
# other_start PORT LOG COMMAND...: starts another server on PORT (stopped by the trap if the run ends
# early), waits for it and warms it; other_stop stops it.
other_start() {
  local url="http://127.0.0.1:$1" log="$2"
  shift 2
  "$@" >"$log" 2>&1 &
  other=$!
  ready "$url"
  warm "$url"
}
other_stop() { kill "$other" && wait "$other" 2>/dev/null || true; other=""; }
# The same mix against a second node that remembers no page starts (Paging__RememberedStarts=0): the mix
# asks for one deep page again and again, which a node that remembers where pages start (PageAnchors)
# reads like a cursor page after its first visit; this is what every visit costs without that.
other_start "$plain_port" "$work/serve-plain.log" \
  env Paging__RememberedStarts=0 dotnet "$work/app/calllog.dll" serve --db "$db" --urls "http://127.0.0.1:$plain_port"
ours_plain="$(mix "http://127.0.0.1:$plain_port")"
other_stop
echo "CallLog, mix, no remembered page starts: $ours_plain"

ceiling_url="http://127.0.0.1:$ceiling_port"
other_start "$ceiling_port" "$work/ceiling.log" \
  env BENCH_KEY="$key" BODIES_DIR="$bodies" dotnet "$work/ceiling/Ceiling.dll" --urls "$ceiling_url"
mark="$(cpu_mark "$other")"
ceiling_row="$(mix "$ceiling_url")"
read -r ceil_server _ ceil_rest ceil_busy ceil_all <<<"$(cpu_per_request "$mark" "$(cpu_mark "$other")" "${ceiling_row%%|*}" "$mix_duration")"
# ratio A B [DIGITS]: A / B as "0.25x" (two decimals unless DIGITS says otherwise).
ratio() { python3 -c "import sys; a, b, d = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]); print(f'{a / b:.{d}f}x' if b else 'n/a')" "$1" "$2" "${3:-2}"; }
# The ratio to the ceiling again in three pairs of windows a third as long, CallLog and the ceiling back to back:
# on this machine two 30 s windows minutes apart can differ by 20% for the same server (the ceiling
# measured 38.7k and 49.3k requests/s in two runs of the same build), which the pairs' median damps.
pairs=() pair_duration=$(( (mix_duration + 2) / 3 ))
for _ in 1 2 3; do
  pair_ceiling="$(mix "$ceiling_url" "$pair_duration")" pair_ours="$(mix "$base" "$pair_duration")"
  pairs+=("$(ratio "${pair_ours%%|*}" "${pair_ceiling%%|*}" 3)")
done
pairs_median="$(printf '%s\n' "${pairs[@]}" | sort -n | sed -n 2p)"
other_stop
echo "Ceiling, mix: $ceiling_row; pairs: ${pairs[*]}"

if [ "$store" = postgres ]; then
  # shellcheck disable=SC2046
  floor_out="$("$pg_bin/pgbench" -n -M prepared -c "$connections" -j 2 -T "$mix_duration" -h 127.0.0.1 -p 55432 -U postgres \
    $(dotnet "$work/floor/Floor.dll" pgbench "$work/pgbench" --deep-offset "$deep_offset") calllog)"
  floor_rps="$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' <<<"$floor_out" | head -n 1)"
  floor_avg="$(sed -n 's/^latency average = \(.*\)$/\1/p' <<<"$floor_out")"
  floor_row="$floor_rps|avg $floor_avg|n/a|n/a|$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' <<<"$floor_out")"
  floor_how="pgbench -M prepared, $connections clients, 2 threads (bench/Floor writes the scripts)"
else
  read -r floor_rps p50 p99 p999 <<<"$(dotnet "$work/floor/Floor.dll" sqlite "$db" --deep-offset "$deep_offset" --connections "$connections" --duration "$mix_duration")"
  floor_row="$floor_rps|${p50}ms|${p99}ms|${p999}ms|0"
  floor_how="bench/Floor: $connections threads, one Microsoft.Data.Sqlite connection and prepared statements each"
fi
echo "Floor, mix: $floor_row"

out="$here/results/$(date -u +%Y-%m-%d)-$store-$calls.md"
{
  echo "# List endpoint, $store, $calls calls"
  echo
  echo "- Command: \`bench/run.sh --store $store --calls $calls --mix-duration $mix_duration --duration $duration --connections $connections\`"
  echo "- Machine: $(nproc) cores ($(lscpu | sed -n 's/^Model name: *//p' | head -1)), $(free -g | awk '/Mem:/ {print $2}') GiB; load generators on the same machine"
  echo "- Date: $(date -u +%Y-%m-%dT%H:%MZ); built from $(git -C "$here/.." rev-parse --short HEAD)$(git -C "$here/.." diff --quiet HEAD -- src bench ':!bench/results' ':!*.md' || echo ' plus uncommitted changes to the code')"
  echo "- Import: $import_line"
  echo
  echo "## The mix, beside its limits"
  echo
  echo "The same mix (bench/mix.lua: seed default, each filter alone, the seed's example, limit=100, random pages"
  echo "among the first hundred, a page at offset $deep_offset, cursor walks) for ${mix_duration}s each, in this run."
  echo
  echo "| target | requests/s | p50 | p99 | p99.9 | errors |"
  echo "|---|---:|---:|---:|---:|---:|"
  echo "| CallLog (wrk, $connections connections) | ${ours//|/ | } |"
  echo "| CallLog remembering no page starts (\`Paging__RememberedStarts=0\`): every deep page skips its offset | ${ours_plain//|/ | } |"
  echo "| framework ceiling: bench/Ceiling, same bytes, same key check (wrk) | ${ceiling_row//|/ | } |"
  echo "| store floor: COUNT(*) + ORDER BY/LIMIT/OFFSET, no HTTP ($floor_how) | ${floor_row//|/ | } |"
  echo
  echo "- CallLog / store floor: **$(ratio "${ours%%|*}" "$floor_rps")** (target: at least 2x)"
  echo "- CallLog / framework ceiling: **${pairs_median}**, the median of three pairs of ${pair_duration}s windows back to back (${pairs[*]}); the ${mix_duration}s windows above: $(ratio "${ours%%|*}" "${ceiling_row%%|*}") (target: at least 0.25x)"
  echo "- Remembering no page starts: $(ratio "${ours_plain%%|*}" "$floor_rps") the store floor, $(ratio "${ours_plain%%|*}" "${ceiling_row%%|*}") the framework ceiling"
  echo "- Server peak RSS after the mix: $(( $(awk '/VmHWM/ {print $2}' /proc/$server/status) / 1024 )) MiB"
  echo
  echo "## Where the machine's CPU time goes"
  echo
  echo "Microseconds of CPU per request in the ${mix_duration}s windows above, from the processes' and the machine's clock ticks."
  echo
  echo "| per request | CallLog | framework ceiling |"
  echo "|---|---:|---:|"
  echo "| the server process | $cpu_server us | $ceil_server us |"
  [ "$store" = postgres ] && echo "| PostgreSQL's processes | $cpu_store us | - |"
  echo "| everything else busy (wrk, the kernel's threads) | $cpu_rest us | $ceil_rest us |"
  echo "| the machine busy, of all it had ($(nproc) cores) | $cpu_busy of $cpu_all us | $ceil_busy of $ceil_all us |"
  echo
  if [ "$store" = postgres ]; then
    read -r store_bound store_bound_text <<<"$(python3 -c "import os, sys; b = round(os.cpu_count() * 1e6 / (float(sys.argv[1]) + float(sys.argv[2]))); print(b, f'{b:,}')" "$cpu_store" "$cpu_rest")"
    echo "- What PostgreSQL's processes and the rest take per request leaves room for at most $store_bound_text requests/s on this machine even if the server took no CPU at all: $(ratio "$store_bound" "${ceiling_row%%|*}") the framework ceiling."
  else
    echo "- SQLite runs inside the server process; its share of the server's time is in the profiles in docs/scaling.md."
  fi
  echo
  echo "## One request shape at a time"
  echo
  echo "wrk, 2 threads, $connections connections, ${duration}s per row, keep-alive."
  echo
  echo "| request | requests/s | p50 | p99 | p99.9 | errors |"
  echo "|---|---:|---:|---:|---:|---:|"
} > "$out"
# The server's count of pages by number that read on from a remembered start (hit) or skipped (miss).
anchors() { curl -fs "$base/metrics" | awk -v r="result=\"$1\"" '/^calllog_pages_anchors_total/ && index($0, r) {n += $NF} END {print n + 0}'; }
for scenario in "${scenarios[@]}"; do
  name="${scenario%%|*}" query="${scenario#*|}"
  hits="$(anchors hit)" misses="$(anchors miss)"
  row="$(BENCH_KEY="$key" BENCH_DEEP_PAGE=1 BENCH_QUERY="$query" wrk_row -t2 -c"$connections" -d"${duration}s" --latency -s "$here/mix.lua" "$base")"
  sleep 1 # the metrics exporter caches a scrape for a moment
  hits=$(( $(anchors hit) - hits )) misses=$(( $(anchors miss) - misses ))
  [ $(( hits + misses )) -gt 0 ] && name="$name; remembered starts: $hits hits, $misses misses"
  echo "| $name | ${row//|/ | } |" >> "$out"
  echo "$name: $row"
done
rss_kb="$(awk '/VmHWM/ {print $2}' /proc/$server/status)"
echo >> "$out"
echo "Server peak RSS: $(( rss_kb / 1024 )) MiB" >> "$out"

# The store's own plans for the seed's request shapes at this size (PostgreSQL: with rows actually read).
analyze=""; [ "$store" = postgres ] && analyze="--analyze"
{
  echo
  echo "## Query plans (\`calllog explain $analyze\`)"
  for args in "" "--agent-id 12345" "--status in-progress" "--type inbound" "--agent-id 12345 --type outbound --limit 25" "--keyset --limit 100" \
      "--query started_after=2025-06-29T00:00:00Z&started_before=2025-06-30T00:00:00Z" "--query phone_number=%2B${phone:0:4}*" \
      "--query contact_id=$contact" "--query sort=-duration_seconds" "--query q=premium"; do
    echo
    echo "### \`explain $args\`"
    echo '```'
    # shellcheck disable=SC2086
    if [[ "$args" == --query* ]]; then calllog explain --db "$db" $analyze --query "${args#--query }"; else calllog explain --db "$db" $analyze $args; fi
    echo '```'
  done
} >> "$out"
echo "wrote $out"
