#!/usr/bin/env bash
# A soak: the mix with writes (bench/soak.lua) at 80% of the measured peak for a long while, on one store,
# sampled every 10 s: requests/s, p99, errors and the server's RSS. Loopback only, bounded in time.
#
#   bench/soak.sh --store sqlite|postgres [--minutes 10] [--calls 100000] [--connections 32]
#
# Builds Release, generates the demo data, starts `calllog serve` on 127.0.0.1 (and, for PostgreSQL, a
# throwaway cluster), measures the peak of the soak's own workload (15 s warm-up, 15 s measured), paces
# wrk to 80% of it, then runs back-to-back 10-second windows and writes bench/results/<date>-soak-<store>.md.
set -euo pipefail
trap 'exit 130' INT TERM
here="$(cd "$(dirname "$0")" && pwd)"
store=sqlite minutes=10 calls=100000 connections=32 port=5196
while [ $# -gt 0 ]; do
  case "$1" in
    --store) store="$2"; shift 2 ;;
    --minutes) minutes="$2"; shift 2 ;;
    --calls) calls="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

work="$here/work/soak" && rm -rf "$work" && mkdir -p "$work" "$here/results"
dotnet publish "$here/../src/CallLog" -c Release -o "$work/app" --nologo -v quiet >/dev/null
calllog() { dotnet "$work/app/calllog.dll" "$@"; }

if [ "$store" = postgres ]; then
  db="$("$here/pg-cluster.sh" start 55433)"
  trap '"$here/pg-cluster.sh" stop' EXIT
else
  db="$work/soak.db"
fi
calllog demo --calls "$calls" --db "$db" >/dev/null
key="$(calllog keys create --name soak --permissions can_read_calls,can_write_calls --rate-limit 0 --db "$db" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')"

if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
  echo "port $port is already in use; stop whatever listens there first" >&2
  exit 1
fi
dotnet "$work/app/calllog.dll" serve --db "$db" --urls "http://127.0.0.1:$port" >"$work/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; [ "$store" = postgres ] && "$here/pg-cluster.sh" stop' EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 1 100); do curl -fs -o /dev/null -H "Authorization: Bearer $key" "$base/api/v1/calls" && break; sleep 0.2; done
kill -0 "$server" 2>/dev/null || { echo "calllog serve did not start:" >&2; cat "$work/serve.log" >&2; exit 1; }

# soak SECONDS DELAY_MS: "requests seconds_us p99_ms errors" for one wrk run.
soak() {
  BENCH_KEY="$key" BENCH_DEEP_PAGE=$(( calls / 10 )) BENCH_MIX="$here/mix.lua" BENCH_DELAY_MS="$2" \
    wrk -t2 -c"$connections" -d"$1s" --latency -s "$here/soak.lua" "$base" | awk '$1 == "soak" {print $2, $3, $4, $5}'
}
rate() { python3 -c "import sys; print(round(int(sys.argv[1]) / (int(sys.argv[2]) / 1e6)))" "$1" "$2"; }

soak 15 0 >/dev/null
read -r n us _ _ <<<"$(soak 15 0)"
peak="$(rate "$n" "$us")"
target=$(( peak * 8 / 10 ))
# Pace each connection: the pause is what is left of its share of the target once the answer's own time is
# taken off, estimated from one calibration window.
pause="$(python3 -c "print(max(0, round($connections * 1000 / $target)))")"
read -r n us _ _ <<<"$(soak 10 "$pause")"
paced="$(rate "$n" "$us")"
pause="$(python3 -c "
c, t, p, r = $connections, $target, $pause, $paced
latency = c * 1000 / r - p
print(max(0, round(c * 1000 / t - latency)))")"
echo "peak $peak requests/s; target $target; pause $pause ms per connection"

out="$here/results/$(date -u +%Y-%m-%d)-soak-$store.md"
{
  echo "# Soak: $store, $minutes minutes at 80% of peak"
  echo
  echo "- $(date -u +%Y-%m-%dT%H:%MZ), commit $(git -C "$here/.." rev-parse --short HEAD), $(nproc) cores; \`bench/soak.sh --store $store --minutes $minutes --calls $calls --connections $connections\`"
  echo "- Data: $calls demo calls; workload: bench/mix.lua's reads with one request in ten a PUT of a new call (bench/soak.lua)"
  echo "- Peak of that workload: $peak requests/s (15 s after a 15 s warm-up); target $target requests/s, paced by a $pause ms pause per connection"
  echo
  echo "| minute | requests/s | p99 (ms) | errors | server RSS (MiB) |"
  echo "|---:|---:|---:|---:|---:|"
} > "$out"
windows=$(( minutes * 6 ))
rss=()
errors_total=0
for w in $(seq 1 "$windows"); do
  read -r n us p99 errors <<<"$(soak 10 "$pause")"
  mib=$(( $(awk '/VmRSS/ {print $2}' "/proc/$server/status") / 1024 ))
  rss+=("$mib")
  errors_total=$(( errors_total + errors ))
  echo "| $(python3 -c "print(f'{$w / 6:.1f}')") | $(rate "$n" "$us") | $p99 | $errors | $mib |" >> "$out"
done
written="$(curl -fs -H "Authorization: Bearer $key" "$base/api/v1/calls?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["count"])')"
# Memory after warm-up: the first minute is the JIT and the caches filling; from then on it should be flat.
python3 - "$out" "$errors_total" "$written" "$calls" "${rss[@]}" <<'PY'
import sys
out, errors, written, calls = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rss = list(map(int, sys.argv[5:]))
settled = rss[6:] or rss
with open(out, "a") as f:
    f.write(f"\n- Errors in all: {errors} (wrk's non-2xx answers and socket errors)\n")
    f.write(f"- Calls at the end: {written:,} ({written - calls:,} written by the soak)\n")
    f.write(f"- RSS after the first minute: {min(settled)}-{max(settled)} MiB (first {settled[0]}, last {settled[-1]}); whole run {min(rss)}-{max(rss)} MiB\n")
PY
cat "$out"
