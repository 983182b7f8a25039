#!/usr/bin/env bash
# SIASN adapter benchmarks (issue 4), in Release on a throwaway data folder:
#  1. import of a ROWS-row SIASN/SAPK export into the embedded SQLite default (rows/s, peak memory),
#     then the same file again (every row compared, none written);
#  2. the outbox relay: COMMANDS block commands decided through the API, delivered to the simulator.
#   bash bench/siasn.sh [rows=1000000] [commands=2000]
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
commands=${2:-2000}
dotnet build -c Release src/Netralitas.Gateway -v q --nologo >/dev/null
dotnet build -c Release bench/Netralitas.Bench.Siasn -v q --nologo >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bench=bench/Netralitas.Bench.Siasn/bin/Release/net10.0/Netralitas.Bench.Siasn.dll
gateway=src/Netralitas.Gateway/bin/Release/net10.0/Netralitas.Gateway.dll

dotnet "$bench" export "$work/export.csv" "$rows"
for run in first again; do
  /usr/bin/time -f "%M" -o "$work/rss" dotnet "$gateway" import-personnel "$work/export.csv" \
    --Netralitas:Database:DataDirectory="$work/data" --Netralitas:Logging:Json=false --Logging:LogLevel:Default=Warning >"$work/report.json"
  echo "import ($run): $(jq -r '"\(.received) rows in \(.seconds) s: \(.rowsPerSecond) rows/s; inserted \(.inserted), updated \(.updated), unchanged \(.unchanged), rejected \(.rejected)"' "$work/report.json"); peak memory $(awk '{printf "%.0f MiB", $1/1024}' "$work/rss")"
done

dotnet "$bench" relay "$work/relay" "$commands"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(dotnet --version) SDK"
