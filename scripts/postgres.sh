# Shared by scripts/test.sh and bench/follower.sh: a throwaway PostgreSQL server on a free loopback
# port below the ephemeral range (Debian's postgresql, installed when missing). Source it, then call
# use_postgres (the server NETRALITAS_TEST_POSTGRES names, else a throwaway one it starts and
# exports there) and, on exit, stop_postgres.

find_pg_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
  done
  command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
  return 1
}

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# Below the kernel's ephemeral range, where a probe cannot connect to itself (see interop-check.sh).
free_port() {
  local port
  for port in $(seq 25432 25532); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  return 1
}

start_postgres() {
  local bin port
  if ! bin=$(find_pg_bin); then
    log "PostgreSQL not found: installing Debian's postgresql"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq postgresql >/dev/null
    bin=$(find_pg_bin)
  fi
  PG_DIR=$(mktemp -d /tmp/netralitas-pg.XXXXXX)
  port=$(free_port)
  # initdb refuses to run as root: use the postgres account the Debian package creates.
  local run=()
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$PG_DIR"
    run=(runuser -u postgres --)
  fi
  "${run[@]}" "$bin/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 >/dev/null
  "${run[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
    -o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
  PG_STOP=("${run[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -m fast -w stop)
  export NETRALITAS_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Include Error Detail=true"
  log "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') started on 127.0.0.1:$port"
}

stop_postgres() {
  if [ -n "${PG_DIR:-}" ]; then
    "${PG_STOP[@]}" >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
}

use_postgres() {
  if [ -z "${NETRALITAS_TEST_POSTGRES:-}" ]; then
    start_postgres
  fi
}
