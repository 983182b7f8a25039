#!/usr/bin/env bash
# The audit trail's writer on the embedded SQLite default, in process (Release, throwaway data folder):
# single-NIP entries from CALLERS concurrent callers under IDS caller ids for SECONDS (entries/s,
# RecordAsync latency), one bulk record of BULK NIPs, a NIP query through the bulk entry, and a
# verification of the whole trail.
#   bash bench/audit.sh [callers=100] [seconds=10] [bulk=1000000] [ids=callers]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release bench/Netralitas.Bench.Audit -v q --nologo >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dotnet bench/Netralitas.Bench.Audit/bin/Release/net10.0/Netralitas.Bench.Audit.dll "$work/data" "${1:-100}" "${2:-10}" "${3:-1000000}" "${4:-${1:-100}}"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(dotnet --version) SDK"
