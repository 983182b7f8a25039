#!/usr/bin/env bash
# Starts the development host (the gateway, Release, embedded SQLite, demo data) on a free loopback port with a
# throwaway data folder, runs the read-path benchmark against it, and reports the gateway's
# peak memory. Arguments are passed to the benchmark: [unary-calls] [concurrency] [stream-nips] [batch] [file-cases].
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release src/Netralitas.DevHost -v q --nologo >/dev/null
dotnet build -c Release bench/Netralitas.Bench -v q --nologo >/dev/null
port=$(for p in $(seq 26080 26180); do (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; break; }; done)
data=$(mktemp -d)
log="$data/gateway.log"
ASPNETCORE_ENVIRONMENT=Development dotnet src/Netralitas.DevHost/bin/Release/net10.0/Netralitas.DevHost.dll --demo \
  --Netralitas:Security:Limits:CallsPerSecond=100000000 --Netralitas:Security:Limits:CallBurst=100000000 \
  --urls "http://127.0.0.1:$port" --Netralitas:Database:DataDirectory="$data" >"$log" 2>&1 &
gateway=$!
trap 'kill "$gateway" 2>/dev/null; wait "$gateway" 2>/dev/null; rm -rf "$data"' EXIT
dotnet bench/Netralitas.Bench/bin/Release/net10.0/Netralitas.Bench.dll "http://127.0.0.1:$port" "$@"
echo "gateway peak memory (VmHWM): $(awk '/VmHWM/ {printf "%.0f MiB", $2/1024}' /proc/$gateway/status)"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(dotnet --version) SDK"
