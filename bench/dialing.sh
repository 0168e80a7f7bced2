#!/usr/bin/env bash
# Placing and dialing calls against a fresh store: campaign creation (recipients a second), then claims
# by 8 concurrent runtimes with a shallow queue and with a deep one (the queue's due index keeps a claim
# the same cost).
#   bench/dialing.sh --store sqlite|postgres [--recipients N] [--depth N] [--seconds S]
# Loopback only.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
store=sqlite recipients=100000 depth=1000000 seconds=10
while [ $# -gt 0 ]; do
  case "$1" in
    --store) store="$2"; shift 2 ;;
    --recipients) recipients="$2"; shift 2 ;;
    --depth) depth="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
work="$here/work/dialing" && rm -rf "$work" && mkdir -p "$work"
dotnet publish "$here/../src/CallLog" -c Release -o "$work/calllog" --nologo -v quiet >/dev/null
if [ "$store" = postgres ]; then
  db="$("$here/pg-cluster.sh" start 55434)"
  trap '"$here/pg-cluster.sh" stop; kill $(jobs -p) 2>/dev/null || true' EXIT
else
  db="$work/dialing.db"
  trap 'kill $(jobs -p) 2>/dev/null || true' EXIT
fi
key="$(dotnet "$work/calllog/calllog.dll" keys create --name bench --permissions can_read_calls,can_write_calls,can_initiate_calls,can_dial --rate-limit 0 --db "$db" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')"
( cd "$work/calllog" && exec dotnet calllog.dll serve --db "$db" --urls http://127.0.0.1:5091 >"$work/serve.log" 2>&1 ) &
for _ in $(seq 150); do curl -fs http://127.0.0.1:5091/readyz >/dev/null 2>&1 && break; sleep 0.2; done
api() { curl -fsS -H "Authorization: Bearer $key" -H 'Content-Type: application/json' "$@"; }
api -X PUT http://127.0.0.1:5091/api/v1/agents/assistant_bench -d '{"name":"Bench"}' >/dev/null

# One campaign body of N recipients, written once; every campaign below posts it.
python3 - "$recipients" "$work/campaign.json" <<'PY'
import json, sys
n, path = int(sys.argv[1]), sys.argv[2]
recipients = [{"phone_number": f"+1555{i:07d}", "variables": {"first_name": "Ada", "n": i}} for i in range(n)]
json.dump({"name": "bench", "agent_id": "assistant_bench", "recipients": recipients}, open(path, "w"))
PY
campaign() { api -X POST http://127.0.0.1:5091/api/v1/campaigns --data-binary @"$work/campaign.json" -o /dev/null -w '%{time_total}'; }
claims() {
  BENCH_KEY="$key" wrk -t 8 -c 8 -d "${seconds}s" -s "$here/claim.lua" --latency http://127.0.0.1:5091 | grep -E 'Requests/sec|Latency|50%|99%|non2xx'
}
out="$here/results/$(date -u +%F)-dialing-$store.md"
{
  echo "# Placing and dialing calls on $store"
  echo
  echo "\`bench/dialing.sh --store $store --recipients $recipients --depth $depth --seconds $seconds\`, $(date -u +%FT%TZ),"
  echo "$(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(dotnet --version) SDK; one node, wrk and the store on the same machine."
  echo
  echo "## Campaign creation: $recipients recipients in one POST (calls, queue rows and call.queued events in one transaction)"
  echo
  echo '```'
  seconds_taken="$(campaign)"
  python3 -c "print(f'{$recipients} recipients in {float(\"$seconds_taken\"):.2f} s: {$recipients/float(\"$seconds_taken\"):,.0f} recipients/s')"
  echo '```'
  echo
  echo "## Claims, 8 runtimes at once, 10 calls a claim, with $recipients calls queued"
  echo
  echo '```'
  claims
  echo '```'
  while [ "$(api "http://127.0.0.1:5091/api/v1/calls?status=queued&limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["count"])')" -lt "$depth" ]; do
    campaign >/dev/null
  done
  echo
  echo "## The same with $depth calls or more queued"
  echo
  echo '```'
  claims
  echo '```'
} | tee "$out"
