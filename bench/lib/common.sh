# Shared by the benchmark scripts that start gateways: a free loopback port, the gateway published as
# deployed, and the clean-up of what a script started. The caller sets `work` (a scratch folder)
# before it calls publish_gateway, appends the PIDs of what it starts to `pids`, and ends with
# `trap stop_all EXIT` (or a trap that calls it).

free_port() { for p in $(seq "$1" $(($1 + 100))); do (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }; done; }

# publish_gateway SOURCE_TREE OUTPUT: Release, ReadyToRun, framework-dependent linux-x64, as the README deploys it.
publish_gateway() {
  dotnet publish "$1/src/Netralitas.Gateway" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
    -o "$2" -v q --nologo >/dev/null
}

pids=()
stop_all() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$work"; }

machine() {
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), .NET SDK $(dotnet --version), $(h2load --version | head -1)"
}
