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
# shellcheck source=bench/lib/common.sh
. bench/lib/common.sh
# shellcheck source=bench/lib/hasopencase-pair.sh
. bench/lib/hasopencase-pair.sh
dotnet build -c Release bench/Netralitas.Bench.Seed -v q --nologo >/dev/null
work=$(mktemp -d)
trap stop_all EXIT
publish_gateway . "$work/gateway"

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
write_request
check_answer "$off_port"
check_answer "$on_port"

scrape() { curl -sf "http://127.0.0.1:${1:-$metrics_port}/metrics"; }
closed_port=$(free_port $((metrics_port + 1)))
# A scrape every second during every round: of the metrics-on gateway during its rounds, of a closed
# port during the others, so that the scraper's own cost (a curl process a second) weighs on both.
before_round() {
  local port=$closed_port; [[ $1 == b ]] && port=$metrics_port
  ( while :; do scrape "$port" >/dev/null || true; sleep 1; done ) >/dev/null 2>&1 &
  scraper=$!
}
after_round() { kill "$scraper"; wait "$scraper" 2>/dev/null || true; }
echo "HasOpenCase, h2load -n $requests -c $clients -m $streams -t 1 (req/s, p50 ms, p99 ms); a: telemetry off, b: metrics on + Prometheus:"
pair_rounds "$off_port" "$on_port"
pair_summary off "metrics-on"

# The scrape after the load holds the calls: the per-call histogram counted every request of the metrics-on gateway.
sleep 1 # past the exporter's 300 ms answer cache
counted=$(scrape | awk '/^rpc_server_call_duration_seconds_count\{/ && /rpc_method="HasOpenCase"/ && /rpc_grpc_status_code="0"/ {
  sub(/^[^}]*\} /, ""); s += $1 } END { printf "%.0f", s }')
expected=$(( requests * (rounds + 1) + 1 ))
echo "metrics-on gateway counted $counted HasOpenCase calls (expected $expected: warm-up, rounds, the check)"
[[ "$counted" == "$expected" ]] || { echo "the per-call metric missed calls" >&2; exit 1; }
machine
if awk -v l="$loss" 'BEGIN { exit !(l <= 3) }'; then echo "target met: throughput lost $loss % <= 3 %"; else echo "target NOT MET: throughput lost $loss % > 3 %"; exit 1; fi
