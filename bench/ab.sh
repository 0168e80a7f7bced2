#!/usr/bin/env bash
# Same-run pairs: the mix against two builds of CallLog at once, for a change that must not slow it.
#   bench/ab.sh --before REV [--calls N] [--pairs P] [--window SECONDS] [--writes]
# Publishes REV (a git worktree) and the working tree, serves one SQLite file of N demo calls from both
# at once (ports 5088 and 5089), warms each, then alternates wrk windows of the mix (bench/mix.lua)
# between them, the order flipped every pair, and prints each window and the median after/before ratio.
# --writes runs bench/writes.lua (PUTs of new calls and PATCHes that end them) instead of the read mix.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
before="" calls=1000000 pairs=10 window=10 script="$here/mix.lua" permissions=can_read_calls
while [ $# -gt 0 ]; do
  case "$1" in
    --before) before="$2"; shift 2 ;;
    --calls) calls="$2"; shift 2 ;;
    --pairs) pairs="$2"; shift 2 ;;
    --window) window="$2"; shift 2 ;;
    --writes) script="$here/writes.lua"; permissions=can_read_calls,can_write_calls; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ -n "$before" ] || { echo "usage: bench/ab.sh --before REV [--calls N] [--pairs P] [--window SECONDS] [--writes]" >&2; exit 2; }
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

work="$here/work/ab" && rm -rf "$work/before-src" && mkdir -p "$work"
git -C "$here/.." worktree add -f -q --detach "$work/before-src" "$before"
trap 'git -C "$here/.." worktree remove --force "$work/before-src"; kill $(jobs -p) 2>/dev/null || true' EXIT
dotnet publish "$work/before-src/src/CallLog" -c Release -o "$work/before" --nologo -v quiet >/dev/null
dotnet publish "$here/../src/CallLog" -c Release -o "$work/after" --nologo -v quiet >/dev/null

db="$work/sqlite-$calls.db"
if [ ! -f "$db.ready" ]; then
  rm -f "$db" "$db-wal" "$db-shm"
  dotnet "$work/after/calllog.dll" demo --calls "$calls" --db "$db"
  touch "$db.ready"
fi
key="$(dotnet "$work/after/calllog.dll" keys create --name ab --permissions "$permissions" --rate-limit 0 --db "$db" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')"
( cd "$work/before" && exec dotnet calllog.dll serve --db "$db" --urls http://127.0.0.1:5088 >/dev/null 2>&1 ) &
( cd "$work/after" && exec dotnet calllog.dll serve --db "$db" --urls http://127.0.0.1:5089 >/dev/null 2>&1 ) &
for port in 5088 5089; do
  for _ in $(seq 150); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.2; done
done
deep_page=$(( (calls > 100010 ? 100000 : calls - 10) / 10 + 1 ))
mix() { BENCH_KEY="$key" BENCH_DEEP_PAGE=$deep_page wrk -t2 -c32 -d"$2s" --latency -s "$script" "http://127.0.0.1:$1"; }
mix 5088 "$window" >/dev/null; mix 5089 "$window" >/dev/null
results="$(mktemp)"
for i in $(seq 1 "$pairs"); do
  order="5088 5089"; [ $((i % 2)) -eq 0 ] && order="5089 5088"
  for port in $order; do
    out="$(mix "$port" "$window")"
    name=before; [ "$port" = 5089 ] && name=after
    line="$i $name $(echo "$out" | awk '/Requests\/sec/{print $2}') p50=$(echo "$out" | awk '$1=="50%"{print $2}') p99=$(echo "$out" | awk '$1=="99%"{print $2}') $(echo "$out" | grep -o 'non2xx [0-9]*' || true)"
    echo "$line" | tee -a "$results"
  done
done
python3 - "$results" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
pairs = {}
for number, name, rate, *_ in rows:
    pairs.setdefault(number, {})[name] = float(rate)
ratios = sorted(p["after"] / p["before"] for p in pairs.values())
for name in ("before", "after"):
    rates = [p[name] for p in pairs.values()]
    print(f"{name}: median {statistics.median(rates):,.0f} requests/s ({min(rates):,.0f}-{max(rates):,.0f})")
print(f"after / before, per pair: median {statistics.median(ratios):.3f} ({ratios[0]:.3f}-{ratios[-1]:.3f})")
PY
