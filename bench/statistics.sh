#!/usr/bin/env bash
# Statistics and monev at national scale, on the embedded SQLite default and on PostgreSQL, in one run:
#   0. a fresh database per provider seeded with N cases (default 1,000,000) over both 2024
#      elections, every province, the catalog's categories, 500 agencies, and one agency
#      (BENCH-LARGEST) of L cases (default 10,000), every one proven and recommended, four in five
#      followed up (bench/Netralitas.Bench.Seed);
#   1. the gateway as deployed (Release, ReadyToRun) on it, and every statistics query and the
#      monev calls from a client (bench/Netralitas.Bench.Statistics): min / median / max of 5 rounds
#      (the background escalation sweep off: on this data it would escalate thousands of the large
#      agency's overdue letters in the first minute, and the queries would time its writes too);
#   2. the monev export of the largest agency (XLSX and CSV) and the national statistics workbook,
#      with the gateway's resident memory before and its peak after (VmHWM).
# PostgreSQL: a throwaway Debian server (installed when missing) unless NETRALITAS_TEST_POSTGRES names one.
# Usage: bash bench/statistics.sh [cases=1000000] [largest=10000] [providers=sqlite,postgres]
set -euo pipefail
cd "$(dirname "$0")/.."
cases=${1:-1000000}
largest=${2:-10000}
providers=${3:-sqlite,postgres}

log() { printf '[statistics] %s\n' "$*" >&2; }
# shellcheck source=scripts/postgres.sh
. scripts/postgres.sh
work=$(mktemp -d)
gateway_pid=
cleanup() { [ -n "$gateway_pid" ] && kill "$gateway_pid" 2>/dev/null && wait "$gateway_pid" 2>/dev/null; stop_postgres; rm -rf "$work"; }
trap cleanup EXIT

for project in bench/Netralitas.Bench.Seed bench/Netralitas.Bench.Statistics; do
  dotnet build -c Release "$project" -v q --nologo >/dev/null
done
dotnet publish src/Netralitas.Gateway -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
  -o "$work/gateway" -v q --nologo >/dev/null
listening_port() { for p in $(seq "$1" $(($1 + 100))); do (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }; done; }
memory() { awk -v k="$2" '$1 == k":" {printf "%.0f MiB", $2 / 1024}' "/proc/$1/status"; }

for provider in ${providers//,/ }; do
  settings=()
  if [ "$provider" = postgres ]; then
    use_postgres
    settings=(--Netralitas:Database:Provider=PostgreSql
      "--Netralitas:Database:ConnectionString=${NETRALITAS_TEST_POSTGRES};Database=netralitas_statistics_$(date +%s)_$$")
  fi
  echo "== $provider: $cases cases, the largest agency $largest"
  dotnet bench/Netralitas.Bench.Seed/bin/Release/net10.0/Netralitas.Bench.Seed.dll "$work/data-$provider" "$cases" "$largest" "${settings[@]}"
  [ "$provider" = sqlite ] && echo "database $(du -sm "$work/data-$provider" | cut -f1) MB"

  port=$(listening_port 26400)
  ASPNETCORE_ENVIRONMENT=Development dotnet "$work/gateway/Netralitas.Gateway.dll" --urls "http://127.0.0.1:$port" \
    --Netralitas:Security:Limits:CallsPerSecond=100000000 --Netralitas:Security:Limits:CallBurst=100000000 \
    --Netralitas:Database:DataDirectory="$work/data-$provider" --Netralitas:Logging:Json=false --Netralitas:Siasn:Mode=Off \
    --Netralitas:Escalation:SweepEnabled=false \
    "${settings[@]}" >"$work/gateway-$provider.log" 2>&1 &
  gateway_pid=$!
  until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do sleep 0.2; done
  client=bench/Netralitas.Bench.Statistics/bin/Release/net10.0/Netralitas.Bench.Statistics.dll
  dotnet "$client" "http://127.0.0.1:$port" queries 5 BENCH-LARGEST pilkada-2024
  resident=$(memory "$gateway_pid" VmRSS); peak=$(memory "$gateway_pid" VmHWM)
  dotnet "$client" "http://127.0.0.1:$port" exports 5 BENCH-LARGEST pilkada-2024
  echo "gateway memory: after the queries resident $resident, peak $peak; after the exports resident $(memory "$gateway_pid" VmRSS), peak $(memory "$gateway_pid" VmHWM)"
  kill "$gateway_pid"; wait "$gateway_pid" 2>/dev/null || true; gateway_pid=
done
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), .NET SDK $(dotnet --version)"
