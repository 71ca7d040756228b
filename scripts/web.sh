#!/usr/bin/env bash
# The Ontzorging site for this checkout, on 127.0.0.1.
# Usage: scripts/web.sh start|stop|status|url
#   start   installs the NL Design System packages (npm ci) when missing, builds the site, starts it
#           in the background against this checkout's database (scripts/pg.sh, started when it is
#           not running) and returns when /health answers; prints the address and how to sign in.
#           A second start is a no-op.
#   stop    stops the site if it runs.
#   status  exit 0 when running, 3 when not.
#   url     prints the site's address.
# The port is chosen at the first start and kept in .local/web.env: ONTZORGING_WEB_PORT, else the
# first free one from 5080. The site signs people in through its embedded development identity
# provider (README, "Signing in"); its log is .local/web.log.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
state="$root/.local/web.env"
pidfile="$root/.local/web.pid"
logfile="$root/.local/web.log"
project="$root/src/Ontzorging.Web"

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
die() { echo "web.sh: $*" >&2; exit 1; }

WEBPORT=""
# shellcheck disable=SC1090
[ -f "$state" ] && . "$state"

choose_port() {
  [ -n "$WEBPORT" ] && return 0
  WEBPORT="${ONTZORGING_WEB_PORT:-}"
  if [ -z "$WEBPORT" ]; then
    WEBPORT=5080
    while port_in_use "$WEBPORT"; do WEBPORT=$((WEBPORT + 1)); done
  fi
  mkdir -p "$root/.local"
  printf 'WEBPORT=%s\n' "$WEBPORT" >"$state"
}

address() { echo "http://127.0.0.1:$WEBPORT"; }

running() {
  [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

answers() { curl -fsS -o /dev/null --max-time 2 "$(address)/health" 2>/dev/null; }

# The NL Design System's CSS comes from npm, pinned in package-lock.json, never from the repository.
ensure_assets() {
  if [ ! -f "$project/node_modules/@utrecht/component-library-css/dist/index.css" ]; then
    command -v npm >/dev/null 2>&1 || die "npm is required for the NL Design System packages (apt-get install npm)"
    (cd "$project" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || die "npm ci failed in $project"
  fi
}

start() {
  choose_port
  if running && answers; then
    echo "site: $(address)"
    echo "already running"
    return 0
  fi
  command -v curl >/dev/null 2>&1 || die "curl is required"
  if port_in_use "$WEBPORT"; then
    # Taken while this site was stopped (another checkout's site, say): the address is only a
    # default, so the next free one is taken and remembered instead.
    [ -n "${ONTZORGING_WEB_PORT:-}" ] && die "port $WEBPORT (ONTZORGING_WEB_PORT) is taken by another program; choose another"
    local old="$WEBPORT"
    while port_in_use "$WEBPORT"; do WEBPORT=$((WEBPORT + 1)); done
    printf 'WEBPORT=%s\n' "$WEBPORT" >"$state"
    echo "web.sh: port $old is taken by another program; this checkout's site now uses $WEBPORT" >&2
  fi
  ensure_assets
  bash "$root/scripts/pg.sh" start >/dev/null
  dotnet build "$project" --configuration Release --nologo -v quiet >/dev/null || die "the site does not build: dotnet build $project"
  local connection owner
  connection="$(bash "$root/scripts/pg.sh" url app)"
  owner="$(bash "$root/scripts/pg.sh" url owner)"
  (
    cd "$project"
    ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}" \
    Ontzorging__Identity__DevelopmentProvider="${Ontzorging__Identity__DevelopmentProvider:-$([ "${ASPNETCORE_ENVIRONMENT:-Development}" = Development ] && echo true || echo false)}" \
    ASPNETCORE_URLS="$(address)" \
    Ontzorging__Web__PublicUrl="$(address)" \
    Ontzorging__Web__UploadFolder="${Ontzorging__Web__UploadFolder:-$root/.local/uploads}" \
    Ontzorging__Database__ConnectionString="$connection" \
    Ontzorging__Database__OwnerConnectionString="$owner" \
      nohup dotnet "bin/Release/net10.0/Ontzorging.Web.dll" >"$logfile" 2>&1 &
    echo $! >"$pidfile"
  )
  local i
  for i in $(seq 1 120); do
    if answers; then
      echo "site: $(address)"
      echo "started"
      return 0
    fi
    running || { tail -n 30 "$logfile" >&2; die "the site stopped while starting (log: $logfile)"; }
    sleep 0.5
  done
  tail -n 30 "$logfile" >&2
  die "the site did not answer on $(address) within 60 s (log: $logfile)"
}

stop() {
  if running; then
    kill "$(cat "$pidfile")" 2>/dev/null || true
    for _ in $(seq 1 40); do running || break; sleep 0.25; done
    running && kill -9 "$(cat "$pidfile")" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status)
    if running && [ -n "$WEBPORT" ] && answers; then echo "running on $(address)"; else echo "not running"; exit 3; fi ;;
  url) [ -n "$WEBPORT" ] || choose_port; address ;;
  *) echo "usage: $0 start|stop|status|url" >&2; exit 2 ;;
esac
