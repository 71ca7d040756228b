#!/usr/bin/env bash
# Local PostgreSQL for Ontzorging: one cluster in .local/pg (git-ignored) on 127.0.0.1:$PGPORT.
# Usage: scripts/pg.sh start|stop|status|url
#   start   installs the server with apt when its binaries are missing, creates the cluster and the
#           database on first use, starts it and waits until it accepts connections. A second start
#           is a no-op. Prints "started" or "already running" as its last line.
#   stop    stops the server if it runs.
#   status  exit 0 when running, 3 when not.
#   url     prints the connection string the CLI, the worker and the tests use by default.
# The server refuses to run as root, so as root it runs as the `postgres` user.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PGPORT="${ONTZORGING_PG_PORT:-54329}"
PGUSER_NAME="ontzorging"
PGDB_NAME="ontzorging"
cluster="$root/.local/pg"
data="$cluster/data"
log="$cluster/server.log"

die() { echo "pg.sh: $*" >&2; exit 1; }

find_bindir() {
  local d
  if command -v pg_config >/dev/null 2>&1; then
    d="$(pg_config --bindir 2>/dev/null || true)"
    [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  fi
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  done
  return 1
}

ensure_binaries() {
  if bindir="$(find_bindir)"; then return 0; fi
  echo "PostgreSQL server binaries not found; installing them with apt-get." >&2
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
  bindir="$(find_bindir)" || die "apt-get installed postgresql but initdb is still missing"
}

# Runs a server binary as the user that owns the cluster (postgres when we are root).
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

running() {
  [ -n "${bindir:-}" ] || bindir="$(find_bindir)" || return 1
  [ -f "$data/PG_VERSION" ] || return 1
  as_owner "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1
}

wait_ready() {
  local i
  for i in $(seq 1 60); do
    if "$bindir/pg_isready" -q -h 127.0.0.1 -p "$PGPORT"; then return 0; fi
    sleep 0.5
  done
  tail -n 20 "$log" >&2 || true
  die "server did not accept connections on 127.0.0.1:$PGPORT within 30 s (log: $log)"
}

init_cluster() {
  mkdir -p "$cluster"
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || die "user 'postgres' is missing (apt-get install postgresql creates it)"
    chown postgres:postgres "$cluster"
  fi
  # Loopback-only, trust authentication: a developer's throwaway cluster, never a production one.
  as_owner "$bindir/initdb" -D "$data" -U "$PGUSER_NAME" -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  cat >>"$data/postgresql.conf" <<CONF
# Ontzorging local development server
listen_addresses = '127.0.0.1'
port = $PGPORT
unix_socket_directories = '$cluster'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
timezone = 'UTC'
CONF
}

start() {
  ensure_binaries
  if running; then
    echo "already running"
    return 0
  fi
  [ -f "$data/PG_VERSION" ] || init_cluster
  as_owner "$bindir/pg_ctl" -D "$data" -l "$log" -w -t 60 start >/dev/null \
    || { tail -n 20 "$log" >&2 || true; die "pg_ctl start failed (log: $log)"; }
  wait_ready
  if ! "$bindir/psql" -h 127.0.0.1 -p "$PGPORT" -U "$PGUSER_NAME" -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = '$PGDB_NAME'" | grep -q 1; then
    "$bindir/createdb" -h 127.0.0.1 -p "$PGPORT" -U "$PGUSER_NAME" "$PGDB_NAME"
  fi
  echo "started"
}

stop() {
  if running; then
    as_owner "$bindir/pg_ctl" -D "$data" -m fast -w stop >/dev/null
    echo "stopped"
  else
    echo "not running"
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status)
    if running; then echo "running on 127.0.0.1:$PGPORT (data: $data)"; else echo "not running"; exit 3; fi ;;
  url) echo "Host=127.0.0.1;Port=$PGPORT;Username=$PGUSER_NAME;Database=$PGDB_NAME" ;;
  *) echo "usage: $0 start|stop|status|url" >&2; exit 2 ;;
esac
