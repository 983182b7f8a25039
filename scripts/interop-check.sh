#!/usr/bin/env bash
# Interop check: starts the gateway from source on free loopback ports with a throwaway
# data directory, then runs the independent Node.js gRPC client check
# (tests/interop/check.mjs) against its HTTP/2 port and the REST/JSON check
# (tests/interop/rest-check.mjs: the case flow, the OpenAPI document and every path in it)
# against its HTTP/1.1 port; then with the demo data (--demo) and
# tests/interop/seed-figures.mjs: the source documents' figures from StatisticsService; then in
# secure mode (the Production environment, TLS, the credentials `dev-credentials` writes) and
# rest-check.mjs again, by client certificates and by a bearer token from `dev-token`.
# The gateway is built once, by the first start; the later ones run it with --no-build.
# Exits with the first failing check's status.
#
#   bash scripts/interop-check.sh
#
# Needs: dotnet (SDK from global.json), node >= 18, npm (scripts/test.sh installs them from Debian if missing).
# INTEROP_TIMEOUT (seconds, default 300) bounds the whole run, build included.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

TOTAL_TIMEOUT="${INTEROP_TIMEOUT:-300}"
STOP_TIMEOUT=40 # the gateway's HostOptions.ShutdownTimeout is 30 s
started_at=$SECONDS
remaining() { echo $((TOTAL_TIMEOUT - (SECONDS - started_at))); }

for tool in dotnet node npm; do
  command -v "$tool" >/dev/null || { echo "interop-check: '$tool' not found on PATH" >&2; exit 2; }
done

# 1. Client dependencies, exactly as locked.
lock=tests/interop/package-lock.json
installed=tests/interop/node_modules/.package-lock.json
if [[ ! -f "$installed" || "$lock" -nt "$installed" || tests/interop/package.json -nt "$installed" ]]; then
  echo "interop-check: npm ci (tests/interop)"
  (cd tests/interop && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi

# 2. Two free loopback ports (gRPC + REST over HTTP/2, REST over HTTP/1.1: without TLS one port
# speaks one HTTP version) and a throwaway working directory (data + log). The ports are below the
# kernel's ephemeral range (32768-60999 by default): polling a port inside it can connect the probe
# to itself (TCP simultaneous open), which looks like a listener and then leaves the port in
# TIME_WAIT, so the gateway cannot bind it (seen once: "address already in use").
port=""
rest_port=""
for candidate in $(seq 28000 28200); do
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
    if [[ -z "$port" ]]; then port=$candidate; else rest_port=$candidate; break; fi
  fi
done
[[ -n "$rest_port" ]] || { echo "interop-check: no two free loopback ports in 28000-28200" >&2; exit 2; }
work="$(mktemp -d "${TMPDIR:-/tmp}/netralitas-interop.XXXXXX")"
data_dir=""
log="$work/gateway.log"
gateway_pid=""

# True while any process of the gateway's process group (dotnet run + the app it starts) is alive.
gateway_alive() { kill -0 -- "-$gateway_pid" 2>/dev/null; }

stop_gateway() {
  [[ -n "$gateway_pid" ]] || return 0
  if gateway_alive; then
    # SIGTERM, not SIGINT: a background job may have inherited an ignored SIGINT.
    # The gateway shuts down gracefully on it; signal the whole group.
    kill -TERM -- "-$gateway_pid" 2>/dev/null || true
    local waited=0
    while gateway_alive && ((waited < STOP_TIMEOUT * 10)); do
      sleep 0.1
      waited=$((waited + 1))
    done
    if gateway_alive; then
      echo "interop-check: gateway did not stop within ${STOP_TIMEOUT}s; killing it" >&2
      kill -KILL -- "-$gateway_pid" 2>/dev/null || true
    fi
  fi
  wait "$gateway_pid" 2>/dev/null || true
  gateway_pid=""
}

print_log() {
  echo "---- gateway log ($log) ----" >&2
  cat "$log" >&2 2>/dev/null || true
  echo "---- end of gateway log ----" >&2
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  stop_gateway
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# 3. Start the gateway as a user would from a fresh clone, in its own process group, on a fresh
# database, and wait until it listens on $port. Arguments: dotnet run's options, --, the gateway's.
start_gateway() {
  data_dir="$(mktemp -d "$work/data.XXXXXX")"
  echo "interop-check: starting gateway: dotnet run $* (data in $data_dir)"
  set -m
  dotnet run --project src/Netralitas.DevHost "$@" \
    "--Netralitas:Database:Provider=Sqlite" \
    "--Netralitas:Database:ConnectionString=" \
    "--Netralitas:Database:DataDirectory=$data_dir" \
    >"$log" 2>&1 </dev/null &
  gateway_pid=$!
  set +m

  # Wait (build included) until it accepts TCP connections, or it dies, or time runs out.
  until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    if ! kill -0 "$gateway_pid" 2>/dev/null; then
      echo "interop-check: the gateway exited before listening on port $port" >&2
      print_log
      exit 1
    fi
    if (($(remaining) <= 0)); then
      echo "interop-check: the gateway did not listen on port $port within ${TOTAL_TIMEOUT}s" >&2
      print_log
      exit 1
    fi
    sleep 0.5
  done
  echo "interop-check: gateway listening after $((SECONDS - started_at))s"
}

# Runs one client check (node SCRIPT ARGS…) within what is left of the time budget; on failure
# stops the gateway, prints its log and exits with the check's status.
run_node() {
  local budget check_status=0
  budget="$(remaining)"
  ((budget > 0)) || budget=1
  timeout --kill-after=5 "$budget" node "$@" || check_status=$?
  if ((check_status == 124)); then
    echo "interop-check: timed out after ${TOTAL_TIMEOUT}s overall" >&2
  fi
  if ((check_status != 0)); then
    stop_gateway
    print_log
    exit "$check_status"
  fi
}

# 4. Development mode on an empty database (this start builds the gateway): gRPC over h2c on
# $port, REST/JSON over HTTP/1.1 on $rest_port (Kestrel named endpoints: --urls cannot give a
# cleartext port its own HTTP version).
start_gateway -- \
  "--Kestrel:Endpoints:Grpc:Url=http://127.0.0.1:$port" "--Kestrel:Endpoints:Grpc:Protocols=Http2" \
  "--Kestrel:Endpoints:Rest:Url=http://127.0.0.1:$rest_port" "--Kestrel:Endpoints:Rest:Protocols=Http1"
run_node tests/interop/check.mjs "127.0.0.1:$port"
run_node tests/interop/rest-check.mjs "http://127.0.0.1:$rest_port"
stop_gateway

# 5. The demo data, over gRPC.
start_gateway --no-build -- --demo --urls "http://127.0.0.1:$port"
run_node tests/interop/seed-figures.mjs "127.0.0.1:$port"
stop_gateway

# 6. Secure mode: the Production environment (--no-launch-profile), TLS on $port (HTTP/1.1 and
# HTTP/2 by ALPN), client certificates and bearer tokens from the development credentials.
credentials="$work/dev-credentials"
dotnet run --project src/Netralitas.DevHost --no-build -- dev-credentials "$credentials" >"$log" 2>&1 ||
  { echo "interop-check: dev-credentials failed" >&2; print_log; exit 1; }
token="$(dotnet run --project src/Netralitas.DevHost --no-build --no-launch-profile -- \
  dev-token "$credentials" --caller kasn --roles authority 2>"$log")" ||
  { echo "interop-check: dev-token failed" >&2; print_log; exit 1; }
start_gateway --no-build --no-launch-profile -- \
  --settings "$credentials/secure.settings.json" --urls "https://127.0.0.1:$port"
NETRALITAS_TOKEN="$token" run_node tests/interop/rest-check.mjs "https://127.0.0.1:$port" --credentials "$credentials"
stop_gateway
echo "interop-check: done after $((SECONDS - started_at))s"
