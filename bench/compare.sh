#!/usr/bin/env bash
# HasOpenCase throughput of an earlier revision against the working tree, side by side in one run:
# each gateway published as deployed (Release, ReadyToRun) and started on a database seeded by its
# own revision's seeder, telemetry off (the default), then h2load in alternating rounds with the
# settings of bench/hot-path.sh. Judged on the median of the rounds' ratios (bench/lib/hasopencase-pair.sh).
# Usage: bash bench/compare.sh BASE_REVISION [cases=20000] [requests=200000] [rounds=8]
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:?usage: bash bench/compare.sh BASE_REVISION [cases] [requests] [rounds]}
cases=${2:-20000}
requests=${3:-200000}
rounds=${4:-8}
clients=16
streams=8

command -v h2load >/dev/null ||
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nghttp2-client >/dev/null; }
# shellcheck source=bench/lib/common.sh
. bench/lib/common.sh
# shellcheck source=bench/lib/hasopencase-pair.sh
. bench/lib/hasopencase-pair.sh
work=$(mktemp -d)
trap 'git worktree remove --force "$work/base-tree" 2>/dev/null; stop_all' EXIT
git worktree add -q --detach "$work/base-tree" "$base"

build() { # tree label: the gateway and a seeded database of that tree
  publish_gateway "$1" "$work/$2-gateway"
  dotnet build -c Release "$1/bench/Netralitas.Bench.Seed" -v q --nologo >/dev/null
  dotnet "$1/bench/Netralitas.Bench.Seed/bin/Release/net10.0/Netralitas.Bench.Seed.dll" "$work/$2-data" "$cases" >/dev/null
}
build "$work/base-tree" base
build . head

start() { # label port
  ASPNETCORE_ENVIRONMENT=Development dotnet "$work/$1-gateway/Netralitas.Gateway.dll" --urls "http://127.0.0.1:$2" \
    --Netralitas:Security:Limits:CallsPerSecond=100000000 --Netralitas:Security:Limits:CallBurst=100000000 \
    --Netralitas:Database:DataDirectory="$work/$1-data" --Netralitas:Logging:Json=false >"$work/$1.log" 2>&1 &
  pids+=($!)
  until grep -qs "Gateway ready" "$work/$1.log"; do sleep 0.1; done
}
base_port=$(free_port 26600)
start base "$base_port"
head_port=$(free_port $((base_port + 1)))
start head "$head_port"
write_request
check_answer "$base_port"
check_answer "$head_port"

before_round() { :; }
after_round() { :; }
echo "HasOpenCase, h2load -n $requests -c $clients -m $streams -t 1 (req/s, p50 ms, p99 ms); a: $(git rev-parse --short "$base"), b: working tree at $(git rev-parse --short HEAD):"
pair_rounds "$base_port" "$head_port"
pair_summary "$(git rev-parse --short "$base")" head
machine
