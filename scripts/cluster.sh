#!/usr/bin/env bash
# shellcheck disable=SC2317 # cleanup functions are invoked from traps
# Runs ContactCenter as several nodes behind nginx, the way docker/compose.yaml does, on this machine:
# a private PostgreSQL (.data/cluster/pg), Redis (the SignalR backplane), N app nodes on 127.0.0.1 ports and
# Debian's nginx with the SAME docker/nginx.conf, rendered for local ports (scripts/lib.sh render_nginx_conf).
#   scripts/cluster.sh --nodes 2                nginx on http://127.0.0.1:5090, nodes on 5091, 5092, ...
#   scripts/cluster.sh --nodes 3 --port 8080    nginx on 8080, nodes on 8081..8083
# Options: --nodes N (default 2), --port P (nginx; nodes use P+1..P+N), --pg-port, --redis-port.
# Every response names its node in X-Node (node1, node2, ...). Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd -P)
LOG_TAG="cluster"
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

NODES=2
PORT=5090
PG_PORT=55434
REDIS_PORT=56382
while [ $# -gt 0 ]; do
  case $1 in
    --nodes) NODES=${2:?--nodes needs a number}; shift 2 ;;
    --nodes=*) NODES=${1#--nodes=}; shift ;;
    --port) PORT=${2:?--port needs a number}; shift 2 ;;
    --port=*) PORT=${1#--port=}; shift ;;
    --pg-port) PG_PORT=${2:?}; shift 2 ;;
    --redis-port) REDIS_PORT=${2:?}; shift 2 ;;
    -h | --help) sed -n '2,9p' "$0"; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
  esac
done
[[ $NODES =~ ^[1-9][0-9]?$ ]] || die "--nodes must be a number from 1 to 99"
[[ $PORT =~ ^[0-9]+$ ]] && [ "$PORT" -ge 1024 ] && [ $((PORT + NODES)) -le 65535 ] || die "--port must leave room for the nodes below 65536"

API_PROJECT=src/ContactCenter.Api/ContactCenter.Api.csproj
DATA=$ROOT/.data/cluster
NGINX_DIR=""
NGINX_PID=""
NODE_PIDS=()

for ((i = 0; i <= NODES; i++)); do
  if port_open 127.0.0.1 $((PORT + i)); then die "port $((PORT + i)) is already in use"; fi
done

cleanup() {
  set +e
  trap '' PIPE # output may go to a pipe (| tee) that Ctrl-C already closed
  [ -z "$NGINX_PID" ] || stop_pid "$NGINX_PID" nginx
  local pid
  for pid in "${NODE_PIDS[@]}"; do stop_pid "$pid" "a node"; done
  stop_redis
  stop_pg
  [ -z "$NGINX_DIR" ] || rm -rf "$NGINX_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# http_ok URL-PATH PORT: 0 when 127.0.0.1:PORT answers PATH with 200 (no curl needed).
http_ok() {
  local path=$1 port=$2 status
  { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || return 1
  printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$path" >&3
  IFS= read -r -t 5 status <&3 || status=""
  exec 3<&- 3>&-
  [[ $status == "HTTP/1."?" 200"* ]]
}
wait_ready() { # PORT PID
  local i
  for ((i = 0; i < 600; i++)); do
    http_ok /health/ready "$1" && return 0
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.5
  done
  return 1
}

command -v dotnet >/dev/null 2>&1 || die "dotnet (SDK 10) is not installed"
build_web
log "dotnet build -c Release $API_PROJECT"
dotnet_build "$API_PROJECT" -c Release -v quiet -nologo
APP_DLL=$(dotnet msbuild "$API_PROJECT" -nologo -getProperty:TargetPath -p:Configuration=Release 2>/dev/null | tail -n1)
[ -f "$APP_DLL" ] || die "built app not found ($APP_DLL)"

mkdir -p "$DATA"
ensure_pg
ensure_redis
ensure_nginx
start_pg "$DATA/pg" "$PG_PORT"
pg_ensure_db "$PG_PORT" contactcenter
start_redis "$REDIS_PORT" "$DATA/redis"

# Every node: the same database, Redis (backplane, presence, limits) and Hangfire storage; the Development
# settings give them the same JWT key, so a token from one node is good on all.
export ConnectionStrings__Postgres="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=contactcenter"
export ConnectionStrings__Redis="127.0.0.1:$REDIS_PORT"
export ASPNETCORE_ENVIRONMENT=Development

start_node() { # INDEX
  local n=$1 port=$((PORT + $1))
  (
    cd "$(dirname "$API_PROJECT")"
    # nginx runs on this machine: its X-Forwarded-For names the client for the per-IP limits.
    export ASPNETCORE_URLS="http://127.0.0.1:$port" Node__Name="node$n" Network__TrustedProxies__0=127.0.0.1
    exec dotnet "$APP_DLL" >"$DATA/node$n.log" 2>&1
  ) &
  NODE_PIDS+=($!)
  log "node$n started (pid $!) on 127.0.0.1:$port, log $DATA/node$n.log"
}
# The first node migrates and seeds alone; the others start once it is ready.
start_node 1
wait_ready $((PORT + 1)) "${NODE_PIDS[0]}" || { tail -n 30 "$DATA/node1.log" >&2; die "node1 did not become ready"; }
for ((i = 2; i <= NODES; i++)); do start_node "$i"; done
for ((i = 2; i <= NODES; i++)); do
  wait_ready $((PORT + i)) "${NODE_PIDS[i - 1]}" || { tail -n 30 "$DATA/node$i.log" >&2; die "node$i did not become ready"; }
done

# nginx's workers run as nobody when started by root: its files live in a directory they can reach.
NGINX_DIR=$(mktemp -d /tmp/cc-nginx.XXXXXX)
node_ports=()
for ((i = 1; i <= NODES; i++)); do node_ports+=($((PORT + i))); done
render_nginx_conf docker/nginx.conf "$NGINX_DIR/nginx.conf" "$NGINX_DIR" "$PORT" "${node_ports[@]}"
/usr/sbin/nginx -p "$NGINX_DIR" -c "$NGINX_DIR/nginx.conf" -e "$NGINX_DIR/error.log" -g 'daemon off;' &
NGINX_PID=$!
wait_for_port 127.0.0.1 "$PORT" 30 "$NGINX_PID" || { cat "$NGINX_DIR/error.log" >&2 || true; die "nginx did not start"; }

cat <<BANNER

  ContactCenter is running at http://127.0.0.1:$PORT  (nginx -> $NODES nodes: ${node_ports[*]})
  Logins (password demo-password-1):
    admin@demo.local  supervisor@demo.local  manager1@demo.local  manager2@demo.local
  Each response names its node in the X-Node header. Node pids: ${NODE_PIDS[*]}, logs: $DATA/node*.log
  PostgreSQL: 127.0.0.1:$PG_PORT (database contactcenter)   Redis: 127.0.0.1:$REDIS_PORT
  Press Ctrl-C to stop.

BANNER

# Runs until Ctrl-C or until nginx exits. A node that stops (try: kill <pid>) leaves the others serving:
# nginx's passive checks move its clients over.
rc=0
wait "$NGINX_PID" || rc=$?
NGINX_PID=""
log "nginx exited (code $rc); stopping everything"
exit "$rc"
