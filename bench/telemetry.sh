#!/usr/bin/env bash
# What metrics cost on the hot path: HasOpenCase under h2load against two gateways on copies of the
# same seeded database, one with telemetry off (the default) and one with metrics on and the
# Prometheus scrape endpoint enabled (scraped every second during its rounds, harsher than any real
# Prometheus), in alternating rounds with the same settings as bench/hot-path.sh. The target (issue 17):
# metrics cost HasOpenCase at most 3 % of its throughput, judged on the median of the rounds' ratios.
# Usage: bash bench/telemetry.sh [cases=20000] [requests=200000] [rounds=5]
set -euo pipefail
cd "$(dirname "$0")/.."
cases=${1:-20000}
requests=${2:-200000}
rounds=${3:-5}
clients=16
streams=8

command -v h2load >/dev/null && command -v jq >/dev/null ||
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nghttp2-client jq >/dev/null; }
dotnet build -c Release bench/Netralitas.Bench.Seed -v q --nologo >/dev/null
work=$(mktemp -d)
dotnet publish src/Netralitas.Gateway -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
  -o "$work/gateway" -v q --nologo >/dev/null
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$work"' EXIT
free_port() { for p in $(seq "$1" $(($1 + 100))); do (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }; done; }

dotnet bench/Netralitas.Bench.Seed/bin/Release/net10.0/Netralitas.Bench.Seed.dll "$work/off" "$cases" >/dev/null
cp -r "$work/off" "$work/on"

start() { # label port extra-arguments...
  local label=$1 port=$2; shift 2
  ASPNETCORE_ENVIRONMENT=Development dotnet "$work/gateway/Netralitas.Gateway.dll" --urls "http://127.0.0.1:$port" \
    --Netralitas:Security:Limits:CallsPerSecond=100000000 --Netralitas:Security:Limits:CallBurst=100000000 \
    --Netralitas:Database:DataDirectory="$work/$label" --Netralitas:Logging:Json=false "$@" >"$work/$label.log" 2>&1 &
  pids+=($!)
  until grep -qs "Gateway ready" "$work/$label.log"; do sleep 0.1; done
}
off_port=$(free_port 26500)
start off "$off_port"
on_port=$(free_port $((off_port + 1)))
metrics_port=$(free_port $((on_port + 1)))
start on "$on_port" --Netralitas:Telemetry:PrometheusUrl="http://127.0.0.1:$metrics_port"

# HasOpenCase of the first seeded case (open), as gRPC puts it on the wire (see hot-path.sh).
nip=196501011988011800
printf '\x00\x00\x00\x00\x14\x0a\x12%s' "$nip" >"$work/request.bin"
for port in "$off_port" "$on_port"; do
  answer=$(curl -s --http2-prior-knowledge -H 'content-type: application/grpc' -H 'te: trailers' \
    --data-binary @"$work/request.bin" "http://127.0.0.1:$port/netralitas.v1.CaseService/HasOpenCase" | od -An -tx1 | tr -d ' \n')
  [[ "$answer" == 0000000018* && "$answer" == *10011801 ]] || { echo "unexpected HasOpenCase answer on $port: $answer" >&2; exit 1; }
done

h2() { # port label
  h2load -n "$requests" -c "$clients" -m "$streams" -t 1 -H 'content-type: application/grpc' -H 'te: trailers' \
    -d "$work/request.bin" --log-file="$work/$2.tsv" "http://127.0.0.1:$1/netralitas.v1.CaseService/HasOpenCase" >"$work/$2.txt"
  grep -q "$requests succeeded, 0 failed, 0 errored" "$work/$2.txt" || { cat "$work/$2.txt" >&2; exit 1; }
  local rps; rps=$(grep -oE '[0-9.]+ req/s' "$work/$2.txt" | cut -d' ' -f1)
  cut -f3 "$work/$2.tsv" | sort -n | awk -v rps="$rps" -v label="$2" '{ a[NR] = $1 }
    END { printf "%s %.0f %.2f %.2f\n", label, rps, a[int(NR * 0.5)] / 1000, a[int(NR * 0.99)] / 1000 }'
}
scrape() { curl -sf "http://127.0.0.1:${1:-$metrics_port}/metrics"; }
closed_port=$(free_port $((metrics_port + 1)))
# A scrape every second during every round: of the metrics-on gateway during its rounds, of a closed
# port during the others, so that the scraper's own cost (a curl process a second) weighs on both.
scraping() { ( while :; do scrape "$1" >/dev/null || true; sleep 1; done ) >/dev/null 2>&1 & echo $!; }
h2 "$off_port" warmup-off >/dev/null
h2 "$on_port" warmup-on >/dev/null
echo "HasOpenCase, h2load -n $requests -c $clients -m $streams -t 1 (req/s, p50 ms, p99 ms); telemetry off vs metrics on + Prometheus:"
run() { # off|on round
  local scraper
  if [[ $1 == off ]]; then scraper=$(scraping "$closed_port"); h2 "$off_port" "off-$2"
  else scraper=$(scraping "$metrics_port"); h2 "$on_port" "on-$2"; fi
  kill "$scraper"; wait "$scraper" 2>/dev/null || true
}
# Off first in odd rounds, on first in even ones: the order of a pair weighs on neither side.
for round in $(seq 1 "$rounds"); do
  if (( round % 2 )); then run off "$round"; run on "$round"; else run on "$round"; run off "$round"; fi
done | sort -t- -k2,2n -s | tee "$work/rounds.txt" | sed 's/^/  /'
# The mean of each, and the median of the rounds' on/off ratios (each round's pair ran back to back,
# so a burst of other load on the machine moves one ratio, not the median).
awk '{ split($1, id, "-") } /^off/ { o += $2; op += $4; off[id[2]] = $2; n++ } /^on/ { m += $2; mp += $4; on[id[2]] = $2 }
  END { k = 0; for (i in on) r[++k] = on[i] / off[i]
        for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (r[j] < r[i]) { t = r[i]; r[i] = r[j]; r[j] = t }
        med = (k % 2) ? r[(k + 1) / 2] : (r[k / 2] + r[k / 2 + 1]) / 2
        printf "  mean: off %.0f req/s p99 %.2f ms; metrics on %.0f req/s p99 %.2f ms; throughput on/off %.3f, p99 ratio %.2f\n",
          o / n, op / n, m / n, mp / n, m / o, mp / op
        printf "  median of the rounds'"'"' on/off throughput ratios %.3f (%.1f %% lost)\n", med, (1 - med) * 100 }' "$work/rounds.txt" | tee "$work/mean.txt"

# The scrape after the load holds the calls: the per-call histogram counted every request of the metrics-on gateway.
sleep 1 # past the exporter's 300 ms answer cache
counted=$(scrape | awk '/^rpc_server_call_duration_seconds_count\{/ && /rpc_method="HasOpenCase"/ && /rpc_grpc_status_code="0"/ {
  sub(/^[^}]*\} /, ""); s += $1 } END { printf "%.0f", s }')
expected=$(( requests * (rounds + 1) + 1 ))
echo "metrics-on gateway counted $counted HasOpenCase calls (expected $expected: warm-up, rounds, the check)"
[[ "$counted" == "$expected" ]] || { echo "the per-call metric missed calls" >&2; exit 1; }
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), .NET SDK $(dotnet --version), $(h2load --version | head -1)"
loss=$(grep -oE '\([0-9.-]+ % lost' "$work/mean.txt" | tr -d '( %lost')
if awk -v l="$loss" 'BEGIN { exit !(l <= 3) }'; then echo "target met: throughput lost $loss % <= 3 %"; else echo "target NOT MET: throughput lost $loss % > 3 %"; exit 1; fi
