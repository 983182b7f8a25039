#!/usr/bin/env bash
# The change-log follower on PostgreSQL: the write rate other replicas may sustain while this
# replica's open-case index stays within the freshness bound. Starts a throwaway PostgreSQL (Debian's,
# installed when missing) unless NETRALITAS_TEST_POSTGRES names a server, then runs
# bench/Netralitas.Bench.Follower in Release.
#   bash bench/follower.sh [seconds-per-rate=10] [rates=250,1000,2000,4000] [gateway settings...]
# e.g. bash bench/follower.sh 10 1000,4000 --Netralitas:OpenCaseIndex:FollowInterval=00:00:00.250
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[follower] %s\n' "$*" >&2; }
# shellcheck source=scripts/postgres.sh
. scripts/postgres.sh
trap stop_postgres EXIT
use_postgres

dotnet build -c Release bench/Netralitas.Bench.Follower -v q --nologo >/dev/null
database="netralitas_follower_$(date +%s)_$$"
dotnet bench/Netralitas.Bench.Follower/bin/Release/net10.0/Netralitas.Bench.Follower.dll \
  "${NETRALITAS_TEST_POSTGRES};Database=${database}" "${1:-10}" "${2:-250,1000,2000,4000}" "${@:3}"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), .NET SDK $(dotnet --version), PostgreSQL $("$(find_pg_bin)/postgres" --version | awk '{print $3}')"
