#!/usr/bin/env bash
# shellcheck disable=SC2317 # cleanup functions are invoked from traps
# Runs ContactCenter locally: private PostgreSQL (.data/pg, port 55432),
# Redis if installed (.data/redis, port 56379), the API on http://localhost:5080
# (other ports: CC_APP_PORT, CC_PG_PORT, CC_REDIS_PORT).
# Extra arguments go to the app, e.g. ./run.sh --simulate. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd -P)
LOG_TAG="run"
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

# Other ports when these are taken (a second checkout, a review copy): CC_APP_PORT, CC_PG_PORT, CC_REDIS_PORT.
PG_PORT=${CC_PG_PORT:-55432}
REDIS_PORT=${CC_REDIS_PORT:-56379}
APP_PORT=${CC_APP_PORT:-5080}
APP_URL="http://localhost:$APP_PORT"
API_PROJECT=src/ContactCenter.Api/ContactCenter.Api.csproj
DATA=$ROOT/.data

APP_PID=""
stop_app() {
  local pid=$APP_PID
  [ -n "$pid" ] || return 0
  APP_PID=""
  stop_pid "$pid" "the app"
}
cleanup() {
  set +e
  trap '' PIPE # output may go to a pipe (| tee) that Ctrl-C already closed
  stop_app
  stop_redis
  stop_pg
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

command -v dotnet >/dev/null 2>&1 || die "dotnet (SDK 10) is not installed"
[ -f "$API_PROJECT" ] || die "$API_PROJECT not found"
if port_open 127.0.0.1 "$APP_PORT"; then die "port $APP_PORT is already in use"; fi

# Build first, so that a compile error does not leave services to tear down.
build_web
log "dotnet build -c Release $API_PROJECT"
dotnet_build "$API_PROJECT" -c Release -v quiet -nologo
APP_DLL=$(dotnet msbuild "$API_PROJECT" -nologo -getProperty:TargetPath -p:Configuration=Release 2>/dev/null | tail -n1 || true)

mkdir -p "$DATA"
ensure_pg
start_pg "$DATA/pg" "$PG_PORT"
pg_ensure_db "$PG_PORT" contactcenter

export ConnectionStrings__Postgres="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=contactcenter"
if have_redis; then
  start_redis "$REDIS_PORT" "$DATA/redis"
  export ConnectionStrings__Redis="127.0.0.1:$REDIS_PORT"
else
  log "redis-server not installed: running a single node without Redis (apt-get install redis-server to use it)"
  unset ConnectionStrings__Redis
fi
export ASPNETCORE_ENVIRONMENT=Development
export ASPNETCORE_URLS=$APP_URL
# Links the app hands out (the web chat's script, CSAT pages) and the demo widget's allowed origins follow the port.
export WebChat__PublicBaseUrl=$APP_URL
export Seed__Channels__1__Settings__allowedOrigins__0="http://localhost:$APP_PORT"
export Seed__Channels__1__Settings__allowedOrigins__1="http://127.0.0.1:$APP_PORT"

# Run from the project directory so that the content root (appsettings*.json,
# wwwroot) is the project's, whichever way the app is started.
if [ -n "$APP_DLL" ] && [ -f "$APP_DLL" ]; then
  (cd "$(dirname "$API_PROJECT")" && exec dotnet "$APP_DLL" "$@") &
else
  (cd "$(dirname "$API_PROJECT")" && exec dotnet run --no-build --no-launch-profile -c Release -- "$@") &
fi
APP_PID=$!
log "app started (pid $APP_PID), waiting for $APP_URL"

if wait_for_port 127.0.0.1 "$APP_PORT" 300 "$APP_PID"; then
  cat <<BANNER

  ContactCenter is running at $APP_URL
  Logins (password demo-password-1):
    admin@demo.local  supervisor@demo.local  manager1@demo.local  manager2@demo.local
  PostgreSQL: 127.0.0.1:$PG_PORT (database contactcenter)   Redis: ${ConnectionStrings__Redis:-not used}
  Press Ctrl-C to stop.

BANNER
elif kill -0 "$APP_PID" 2>/dev/null; then
  log "the app does not listen on port $APP_PORT yet; still waiting for it"
fi

rc=0
wait "$APP_PID" || rc=$?
APP_PID=""
log "the app exited with code $rc"
exit "$rc"
