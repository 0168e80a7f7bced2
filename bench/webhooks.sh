#!/usr/bin/env bash
# Webhook deliveries against a fresh store: throughput (events already in the log, replayed to E endpoints
# at once) and the latency from commit to receipt at a steady write rate.
#   bench/webhooks.sh --store sqlite|postgres [--events N] [--endpoints "1 8"] [--rate R] [--seconds S]
# Loopback only: the receiver is bench/Webhooks on 127.0.0.1, answering 200 at once.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
store=sqlite events=10000 endpoints="1 8" rate=100 seconds=30
while [ $# -gt 0 ]; do
  case "$1" in
    --store) store="$2"; shift 2 ;;
    --events) events="$2"; shift 2 ;;
    --endpoints) endpoints="$2"; shift 2 ;;
    --rate) rate="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
work="$here/work/webhooks" && rm -rf "$work" && mkdir -p "$work"
dotnet publish "$here/../src/CallLog" -c Release -o "$work/calllog" --nologo -v quiet >/dev/null
dotnet publish "$here/Webhooks" -c Release -o "$work/bench" --nologo -v quiet >/dev/null
if [ "$store" = postgres ]; then
  db="$("$here/pg-cluster.sh" start 55433)"
  trap '"$here/pg-cluster.sh" stop; kill $(jobs -p) 2>/dev/null || true' EXIT
else
  db="$work/webhooks.db"
  trap 'kill $(jobs -p) 2>/dev/null || true' EXIT
fi
key="$(dotnet "$work/calllog/calllog.dll" keys create --name bench --permissions can_read_calls,can_write_calls,can_manage_webhooks --rate-limit 0 --db "$db" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')"
( cd "$work/calllog" && Webhooks__AllowPrivateNetworks=true exec dotnet calllog.dll serve --db "$db" --urls http://127.0.0.1:5090 >"$work/serve.log" 2>&1 ) &
for _ in $(seq 150); do curl -fs http://127.0.0.1:5090/readyz >/dev/null 2>&1 && break; sleep 0.2; done
run() { dotnet "$work/bench/Webhooks.dll" "$@" --url http://127.0.0.1:5090 --key "$key"; }
out="$here/results/$(date -u +%F)-webhooks-$store.md"
{
  echo "# Webhook deliveries on $store"
  echo
  echo "\`bench/webhooks.sh --store $store --events $events --endpoints \"$endpoints\" --rate $rate --seconds $seconds\`, $(date -u +%FT%TZ),"
  echo "$(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(dotnet --version) SDK; Webhooks:Concurrency 4 (the default)."
  echo
  echo "## Throughput: events in the log, replayed to each endpoint at once"
  echo
  echo '```'
  for e in $endpoints; do run throughput --events "$events" --endpoints "$e"; done
  echo '```'
  echo
  echo "## Latency: PUTs of new calls at $rate/s for $seconds s, from each PUT's answer to the receipt of its call.started"
  echo
  echo '```'
  run latency --rate "$rate" --seconds "$seconds"
  echo '```'
} | tee "$out"
