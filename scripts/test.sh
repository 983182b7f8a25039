#!/usr/bin/env bash
# Runs every test: unit tests, integration tests against SQLite and PostgreSQL, and the
# independent (Node.js) client check against a gateway started as the README starts it.
#
# nginx: Debian's, installed when missing (the test starts its own on a loopback port).
# PostgreSQL: if NETRALITAS_TEST_POSTGRES names a server (an Npgsql connection string whose user
# may create databases), the tests use it. Otherwise this script installs Debian's `postgresql`
# when it is missing and starts a throwaway server on a free loopback port, removed afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[test] %s\n' "$*" >&2; }

# shellcheck source=scripts/postgres.sh
. scripts/postgres.sh
trap stop_postgres EXIT

use_postgres
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  log "Node.js not found (needed by the independent client check): installing nodejs (and npm) from the package sources"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq nodejs >/dev/null
  # Some nodejs builds carry npm, Debian's does not.
  command -v npm >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq npm >/dev/null
fi

if [ ! -x /usr/sbin/nginx ]; then
  # The replicas-behind-a-load-balancer test runs deploy/nginx/netralitas.conf with Debian's nginx
  # (started by the test itself on a free loopback port; the package's own service is not needed).
  log "nginx not found: installing Debian's nginx"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq nginx >/dev/null
fi

RESULTS=$(mktemp)
trap 'stop_postgres; rm -f "$RESULTS"' EXIT

log "dotnet test (unit and integration: SQLite and PostgreSQL)"
dotnet test Netralitas.sln --nologo 2>&1 | tee -a "$RESULTS"

log "independent client check (Node.js, built from protos/)"
bash scripts/interop-check.sh 2>&1 | tee -a "$RESULTS"

# One closing line with every count: dotnet test's summaries plus the interop check's.
passed=$(grep -oE '(Passed: +[0-9]+|[0-9]+ passed)' "$RESULTS" | grep -oE '[0-9]+' | awk '{ s += $1 } END { print s + 0 }')
failed=$(grep -oE '(Failed: +[0-9]+|[0-9]+ failed)' "$RESULTS" | grep -oE '[0-9]+' | awk '{ s += $1 } END { print s + 0 }')
echo "all: ${passed:-0} passed, ${failed:-0} failed"
