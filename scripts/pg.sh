#!/usr/bin/env bash
# Local PostgreSQL for Ontzorging: one cluster per checkout, on 127.0.0.1.
# Usage: scripts/pg.sh start|stop|status|url [app|owner|admin]|reset
# The port and the cluster's place are chosen at the first start and kept in .local/pg.env: a free
# port from 54329 (or ONTZORGING_PG_PORT; a chosen port taken before the server binds it moves on to
# the next free one), and .local/pg in the checkout, or as root
# /var/lib/ontzorging/<hash of the checkout's path> (the server runs as `postgres`, which cannot
# enter a private home such as /root).
#   start   installs the server with apt when its binaries are missing, creates the cluster, its
#           roles and the database on first use, starts it and waits until it accepts connections.
#           A second start is a no-op. Prints the server's address, then "started" or "already running".
#   stop    stops the server if it runs.
#   status  exit 0 when running, 3 when not.
#   url     prints a connection string: `app` (default) for the CLI, the worker and the tests'
#           databases, `owner` for migrations and scratch databases, `admin` for the superuser.
#   reset   stops the server and deletes the cluster and its secrets (all local data is lost).
# Even on loopback every role signs in with a password (SCRAM): three roles, each with a random
# password kept in .local/secrets (mode 0700, files 0600) and named in its pgpass file, which the
# connection strings point to, so no password is ever typed, logged or put on a command line.
#   ontzorging_admin  the cluster's superuser; only this script uses it
#   ontzorging_owner  owns the database and its schema; runs migrations; may create databases
#   ontzorging_app    reads and writes rows; no DDL (the migrator grants it what it needs)
# The server refuses to run as root, so as root it runs as the `postgres` user.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PGDB_NAME="ontzorging"
ADMIN="ontzorging_admin"
OWNER="ontzorging_owner"
APP="ontzorging_app"
secrets="$root/.local/secrets"
pgpass="$secrets/pgpass"
export PGPASSFILE="$pgpass"

# Which server is this checkout's: its port and where its cluster lives, chosen once and remembered
# in .local/pg.env, the one place every tool reads (through `pg.sh url`). The port is
# ONTZORGING_PG_PORT when set at the first start, else the first free one from 54329, so two
# checkouts on one machine each get their own server. As root the cluster lives outside the
# checkout (PostgreSQL runs as `postgres`, which may not enter a private home such as /root).
state="$root/.local/pg.env"
if [ -f "$state" ]; then
  # shellcheck disable=SC1090
  . "$state"
  if [ -n "${ONTZORGING_PG_PORT:-}" ] && [ "$ONTZORGING_PG_PORT" != "$PGPORT" ]; then
    echo "pg.sh: this checkout's server uses port $PGPORT (in $state); unset ONTZORGING_PG_PORT, or run 'bash scripts/pg.sh reset' to make it anew on $ONTZORGING_PG_PORT" >&2
    exit 1
  fi
elif [ -f "$root/.local/pg/data/PG_VERSION" ]; then
  # A cluster made before .local/pg.env existed keeps its place and port.
  cluster="$root/.local/pg"
  PGPORT="$(sed -n 's/^port = \([0-9]*\).*/\1/p' "$cluster/data/postgresql.conf" | tail -n 1)"
  printf 'PGPORT=%s\ncluster=%s\n# the checkout: %s\n' "$PGPORT" "$cluster" "$root" >"$state"
else
  PGPORT=""
  cluster=""
fi
data="${cluster:+$cluster/data}"
log="${cluster:+$cluster/server.log}"

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Chooses the port and the cluster's place on first use and writes them to .local/pg.env.
choose_server() {
  [ -n "$PGPORT" ] && return 0
  PGPORT="${ONTZORGING_PG_PORT:-}"
  if [ -z "$PGPORT" ]; then
    PGPORT=54329
    while port_in_use "$PGPORT"; do PGPORT=$((PGPORT + 1)); done
  elif port_in_use "$PGPORT"; then
    die "port $PGPORT (ONTZORGING_PG_PORT) is taken by another server; choose another or unset it to take a free one"
  fi
  if [ "$(id -u)" -eq 0 ]; then
    cluster="/var/lib/ontzorging/$(printf '%s' "$root" | sha256sum | cut -c1-12)"
  else
    cluster="$root/.local/pg"
  fi
  data="$cluster/data"
  log="$cluster/server.log"
  if [ -d "$cluster" ]; then
    # Left by an earlier checkout at this path whose .local is gone (a deleted clone, git clean):
    # nothing here knows its secrets any more, so it is stopped and made anew.
    echo "pg.sh: removing the orphaned cluster in $cluster (no .local/pg.env names it)" >&2
    ensure_binaries
    as_owner "$bindir/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$cluster"
  fi
  mkdir -p "$root/.local"
  printf 'PGPORT=%s\ncluster=%s\n# the checkout: %s\n' "$PGPORT" "$cluster" "$root" >"$state"
}

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
    # From / : `postgres` may not enter the checkout (a private home such as /root).
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

running() {
  [ -n "$data" ] || return 1
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

new_password() { head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32; }

# One password per role, made once, and the pgpass file that names them for this port.
make_secrets() {
  mkdir -p "$secrets"
  chmod 700 "$secrets"
  local role
  for role in "$ADMIN" "$OWNER" "$APP"; do
    [ -s "$secrets/$role.password" ] || (umask 077; new_password >"$secrets/$role.password")
  done
  (umask 077
   for role in "$ADMIN" "$OWNER" "$APP"; do
     echo "127.0.0.1:$PGPORT:*:$role:$(cat "$secrets/$role.password")"
   done >"$pgpass")
}

init_cluster() {
  mkdir -p "$cluster"
  chmod 700 "$cluster"
  make_secrets
  local pwfile="$cluster/initdb.pw"
  (umask 077; cp "$secrets/$ADMIN.password" "$pwfile")
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || die "user 'postgres' is missing (apt-get install postgresql creates it)"
    chown postgres:postgres "$cluster" "$pwfile"
  fi
  # Loopback only, and a password for every role even there (SCRAM): a developer's cluster that
  # no other local user can enter, though it is not tuned or backed up like a production one.
  as_owner "$bindir/initdb" -D "$data" -U "$ADMIN" --pwfile="$pwfile" --auth-local=scram-sha-256 --auth-host=scram-sha-256 \
    -E UTF8 --locale=C.UTF-8 >/dev/null
  rm -f "$pwfile"
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
password_encryption = 'scram-sha-256'
# No row values (IBANs, BSNs) in the server log: constraint errors are logged without their DETAIL,
# and failing statements without their text.
log_error_verbosity = terse
log_min_error_statement = panic
CONF
}

# Moves this checkout's server to the next free port: its configuration, .local/pg.env and the
# pgpass file, which every connection string reads, all follow.
move_port() {
  local from="$PGPORT"
  PGPORT=$((PGPORT + 1))
  while port_in_use "$PGPORT"; do PGPORT=$((PGPORT + 1)); done
  echo "pg.sh: port $from was taken before the server could bind it; trying $PGPORT" >&2
  as_owner sed -i "s/^port = [0-9]*/port = $PGPORT/" "$data/postgresql.conf"
  printf 'PGPORT=%s\ncluster=%s\n# the checkout: %s\n' "$PGPORT" "$cluster" "$root" >"$state"
  make_secrets
}

psql_admin() { "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PGPORT" -U "$ADMIN" "$@"; }

# The owner and application roles and the database, made once; the passwords are (re)set from the
# secrets each start, so the pgpass file and the server always agree.
ensure_roles() {
  local owner_pw app_pw
  owner_pw="$(cat "$secrets/$OWNER.password")"
  app_pw="$(cat "$secrets/$APP.password")"
  psql_admin -d postgres -v owner="$OWNER" -v app="$APP" -v owner_pw="$owner_pw" -v app_pw="$app_pw" -v db="$PGDB_NAME" <<'SQL' >/dev/null
SET client_min_messages = warning;
SELECT format('CREATE ROLE %I LOGIN CREATEDB', :'owner') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'owner') \gexec
SELECT format('CREATE ROLE %I LOGIN', :'app') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'app') \gexec
ALTER ROLE :"owner" PASSWORD :'owner_pw';
-- The owner drops scratch databases WITH (FORCE), which ends the sessions still there: the
-- application role's, and any other non-superuser's (pg_signal_backend).
GRANT :"app" TO :"owner";
GRANT pg_signal_backend TO :"owner";
ALTER ROLE :"app" PASSWORD :'app_pw';
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'owner') WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SQL
}

start() {
  ensure_binaries
  choose_server
  if [ -f "$data/PG_VERSION" ] && [ ! -s "$pgpass" ]; then
    die "the cluster in $cluster was made before password authentication (or its secrets in $secrets are gone); run 'bash scripts/pg.sh reset' to make it anew (its local data is lost)"
  fi
  if running; then
    echo "this checkout's server: 127.0.0.1:$PGPORT, data in $data"
    echo "already running"
    return 0
  fi
  [ -f "$data/PG_VERSION" ] || init_cluster
  local tries=0
  until as_owner "$bindir/pg_ctl" -D "$data" -l "$log" -w -t 60 start >/dev/null; do
    # The port was free when it was chosen, but another process (an outgoing connection from the
    # ephemeral range, another checkout's first start) may take it before the server binds it.
    # A port this script chose itself moves on to the next free one; one the user named does not.
    if [ -z "${ONTZORGING_PG_PORT:-}" ] && [ "$tries" -lt 20 ] && tail -n 20 "$log" 2>/dev/null | grep -q 'Address already in use'; then
      tries=$((tries + 1))
      move_port
      continue
    fi
    tail -n 20 "$log" >&2 || true
    die "pg_ctl start failed (log: $log)"
  done
  wait_ready
  ensure_roles
  echo "this checkout's server: 127.0.0.1:$PGPORT, data in $data (remembered in .local/pg.env)"
  echo "started"
}

url() {
  local role
  [ -n "$PGPORT" ] || die "this checkout has no server yet; run 'bash scripts/pg.sh start' first"
  case "${1:-app}" in
    app) role="$APP" ;;
    owner) role="$OWNER" ;;
    admin) role="$ADMIN" ;;
    *) echo "usage: $0 url [app|owner|admin]" >&2; exit 2 ;;
  esac
  echo "Host=127.0.0.1;Port=$PGPORT;Username=$role;Database=$PGDB_NAME;Passfile=$pgpass"
}

reset() {
  stop
  [ -n "$cluster" ] && rm -rf "$cluster"
  rm -rf "$secrets" "$state"
  echo "reset: the local cluster and its secrets are gone; 'bash scripts/pg.sh start' makes them anew"
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
    if running; then echo "running on 127.0.0.1:$PGPORT (data: $data)"; else echo "not running${PGPORT:+ (port $PGPORT, data: $data)}"; exit 3; fi ;;
  url) url "${2:-app}" ;;
  reset) ensure_binaries; reset ;;
  *) echo "usage: $0 start|stop|status|url [app|owner|admin]|reset" >&2; exit 2 ;;
esac
