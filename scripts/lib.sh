# shellcheck shell=bash
# Shared helpers for run.sh and test.sh. Source it from a script that already
# runs with `set -euo pipefail`; it defines functions and a few variables only.
#
#   find_pg_bin                 newest /usr/lib/postgresql/*/bin (prints it)
#   ensure_pg                   installs PostgreSQL if missing, sets PG_BIN
#   start_pg DIR PORT [fast]    initdb (if needed) + start a private cluster
#                               (CC_PG_EXTRA_CONF: extra postgresql.conf lines)
#   stop_pg                     stops the cluster start_pg started (idempotent)
#   pg_ensure_db PORT NAME      createdb NAME if it does not exist
#   ensure_redis                installs redis-server if missing
#   start_redis PORT DIR [ARGS] starts redis-server in the background
#   stop_redis                  stops the redis start_redis started (idempotent)
#   wait_for_port HOST PORT [SECS] [PID]
#   stop_pid PID NAME           TERM, then KILL after 15 s, and reap
#   build_web                   npm ci/install + build of src/ContactCenter.Web if present
#   ensure_chromium, ensure_dovecot   hooks for browser / IMAP tests
#   ensure_nginx                installs Debian's nginx if missing (cluster.sh, the two-node test)
#   render_nginx_conf SRC OUT DIR PORT NODE_PORT...
#                               docker/nginx.conf rendered for loopback ports

export DEBIAN_FRONTEND=noninteractive
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

LOG_TAG=${LOG_TAG:-cc}
log() { printf '[%s] %s\n' "$LOG_TAG" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------- apt ------
_CC_APT_UPDATED=0
# apt_install PKG...: `apt-get update` once per script, then install.
# Services that packages would start on install (postgresql, redis, dovecot)
# are kept from starting with a temporary policy-rc.d, unless one exists.
apt_install() {
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  local policy=/usr/sbin/policy-rc.d added_policy=0 rc=0
  if [ "$(id -u)" -eq 0 ] && [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && added_policy=1
  fi
  local out
  out=$(mktemp /tmp/cc-apt.XXXXXX)
  if [ "$_CC_APT_UPDATED" -eq 0 ]; then
    log "apt-get update"
    "${sudo[@]}" apt-get update -qq >"$out" 2>&1 || rc=$?
    _CC_APT_UPDATED=1
  fi
  if [ "$rc" -eq 0 ]; then
    log "apt-get install $* (takes a while the first time)"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >>"$out" 2>&1 || rc=$?
  fi
  [ "$added_policy" -eq 0 ] || rm -f "$policy"
  if [ "$rc" -ne 0 ]; then
    tail -n 40 "$out" >&2
    log "apt-get failed (exit $rc)"
  fi
  rm -f "$out"
  return "$rc"
}

# ---------------------------------------------------------------- ports ----
port_open() { # HOST PORT -> 0 when something accepts connections
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

# wait_for_port HOST PORT [TIMEOUT_SECS=60] [PID]: waits until HOST:PORT accepts
# connections; fails on time-out, or early when PID (if given) has exited.
wait_for_port() {
  local host=$1 port=$2 timeout=${3:-60} pid=${4:-} i
  for ((i = 0; i < timeout * 4; i++)); do
    port_open "$host" "$port" && return 0
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then return 1; fi
    sleep 0.25
  done
  return 1
}

# ---------------------------------------------------------------- processes
# stop_pid PID NAME: TERM, then KILL after 15 s; reaps it (run.sh's app, cluster.sh's nodes and nginx).
stop_pid() {
  local pid=$1 name=$2 i
  kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
  log "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 150; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# ---------------------------------------------------------------- postgres -
PG_BIN=${PG_BIN:-}
_CC_PG_DIR=""
_CC_PG_PORT=""

find_pg_bin() {
  local d best=""
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] || continue
    if [ -z "$best" ] || [ "$(printf '%s\n%s\n' "$best" "$d" | sort -V | tail -n1)" = "$d" ]; then
      best=$d
    fi
  done
  [ -n "$best" ] || return 1
  printf '%s\n' "$best"
}

# Runs a command as the postgres user (from / so that an unreadable cwd does
# not matter). Not root: runs it as the current user.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then
    (cd / && runuser -u postgres -- "$@")
  else
    (cd / && "$@")
  fi
}

ensure_pg() {
  if ! PG_BIN=$(find_pg_bin); then
    apt_install postgresql
    PG_BIN=$(find_pg_bin) || die "PostgreSQL binaries not found after install"
  fi
  if [ "$(id -u)" -eq 0 ] && ! id -u postgres >/dev/null 2>&1; then
    log "creating system user postgres"
    useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/bash postgres
  fi
  export PG_BIN
}

# Makes every parent directory of DIR traversable by the postgres user
# (chmod o+x where it is not, e.g. /root).
_pg_make_traversable() {
  [ "$(id -u)" -eq 0 ] || return 0
  local d=$1
  while [ "$d" != "/" ] && [ -n "$d" ]; do
    d=$(dirname "$d")
    if ! runuser -u postgres -- test -x "$d" 2>/dev/null; then
      log "chmod o+x $d (so that the postgres user can reach the data dir)"
      chmod o+x "$d"
    fi
  done
}

# start_pg DIR PORT [fast]: private cluster in DIR (created on first use,
# reused afterwards), listening on 127.0.0.1:PORT with trust auth, its unix
# socket inside DIR. "fast" turns fsync off (throw-away test clusters).
start_pg() {
  local dir=$1 port=$2 mode=${3:-}
  [ -n "$PG_BIN" ] || ensure_pg
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd -P)
  if port_open 127.0.0.1 "$port"; then
    die "port $port is already in use (an earlier run still going? see: ss -ltnp | grep $port)"
  fi
  _pg_make_traversable "$dir"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
  chmod 700 "$dir"

  if [ ! -f "$dir/PG_VERSION" ]; then
    log "initdb $dir"
    as_pg "$PG_BIN/initdb" -D "$dir" -U postgres --auth=trust -E UTF8 --locale=C >"$dir/../initdb.log" 2>&1 ||
      { cat "$dir/../initdb.log" >&2; die "initdb failed"; }
    rm -f "$dir/../initdb.log"
    printf "\ninclude_if_exists = 'cc-local.conf'\n" >>"$dir/postgresql.conf"
  fi
  # Rewritten on every start, so port and socket dir always match.
  local qdir=${dir//\'/\'\'}
  {
    echo "# written by scripts/lib.sh start_pg"
    echo "listen_addresses = '127.0.0.1'"
    echo "port = $port"
    echo "unix_socket_directories = '$qdir'"
    if [ "$mode" = fast ]; then
      # The tests: several test processes at once, each with app fixtures of up to 60 pooled connections; on a loaded
      # machine connections are held longer and 300 ran out ("too many clients": a webhook answered 503).
      echo "max_connections = 600"
      echo "fsync = off"
      echo "synchronous_commit = off"
      echo "full_page_writes = off"
    else
      echo "max_connections = 300"
    fi
    # Extra settings from the caller, one per line (bench.sh: pg_stat_statements).
    if [ -n "${CC_PG_EXTRA_CONF:-}" ]; then printf '%s\n' "$CC_PG_EXTRA_CONF"; fi
  } >"$dir/cc-local.conf"
  printf '%s\n' \
    "# written by scripts/lib.sh start_pg: trust, local socket and 127.0.0.1 only" \
    "local all all trust" \
    "host  all all 127.0.0.1/32 trust" >"$dir/pg_hba.conf"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir/cc-local.conf" "$dir/pg_hba.conf" "$dir/postgresql.conf"; fi

  log "starting PostgreSQL ($PG_BIN) on 127.0.0.1:$port, data $dir"
  _CC_PG_DIR=$dir
  _CC_PG_PORT=$port
  if ! as_pg "$PG_BIN/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 start >/dev/null; then
    tail -n 30 "$dir/server.log" >&2 || true
    die "PostgreSQL did not start"
  fi
  local i
  for ((i = 0; i < 120; i++)); do
    "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres && return 0
    sleep 0.5
  done
  tail -n 30 "$dir/server.log" >&2 || true
  die "PostgreSQL on port $port is not ready"
}

stop_pg() {
  local dir=$_CC_PG_DIR
  [ -n "$dir" ] || return 0
  _CC_PG_DIR=""
  if [ -f "$dir/postmaster.pid" ]; then
    log "stopping PostgreSQL ($dir)"
    as_pg "$PG_BIN/pg_ctl" -D "$dir" -m fast -w -t 60 stop >/dev/null 2>&1 ||
      as_pg "$PG_BIN/pg_ctl" -D "$dir" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
  fi
  return 0
}

# pg_ensure_db PORT NAME
pg_ensure_db() {
  local port=$1 name=$2
  if [ "$("$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = '$name'")" != 1 ]; then
    log "createdb $name"
    "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres "$name"
  fi
}

# ---------------------------------------------------------------- redis ----
_CC_REDIS_PID=""
_CC_REDIS_PORT=""

have_redis() { command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1; }

ensure_redis() {
  have_redis || apt_install redis-server
  have_redis || die "redis-server not found after install"
}

# start_redis PORT DIR [EXTRA REDIS ARGS...]: redis-server in the background,
# bound to 127.0.0.1, working dir DIR (log in DIR/redis.log).
start_redis() {
  local port=$1 dir=$2
  shift 2
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd -P)
  if port_open 127.0.0.1 "$port"; then
    die "port $port is already in use (an earlier run still going? see: ss -ltnp | grep $port)"
  fi
  log "starting redis on 127.0.0.1:$port, dir $dir"
  redis-server --port "$port" --bind 127.0.0.1 --daemonize no --dir "$dir" \
    --logfile "$dir/redis.log" "$@" </dev/null >/dev/null 2>&1 &
  _CC_REDIS_PID=$!
  _CC_REDIS_PORT=$port
  local i
  for ((i = 0; i < 120; i++)); do
    [ "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" = PONG ] && return 0
    kill -0 "$_CC_REDIS_PID" 2>/dev/null || break
    sleep 0.25
  done
  tail -n 20 "$dir/redis.log" >&2 || true
  stop_redis
  die "redis did not start on port $port"
}

stop_redis() {
  local pid=$_CC_REDIS_PID i
  [ -n "$pid" ] || return 0
  _CC_REDIS_PID=""
  if kill -0 "$pid" 2>/dev/null; then
    log "stopping redis (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
  return 0
}

# ---------------------------------------------------------------- web ------
# build_web: builds the browser app when src/ContactCenter.Web/package.json
# exists (npm ci with a lockfile, npm install without). CC_SKIP_WEB_BUILD=1 skips.
build_web() {
  local web=src/ContactCenter.Web
  [ -f "$web/package.json" ] || return 0
  if [ "${CC_SKIP_WEB_BUILD:-0}" = 1 ]; then
    log "CC_SKIP_WEB_BUILD=1: not building $web"
    return 0
  fi
  command -v npm >/dev/null 2>&1 || apt_install nodejs npm
  log "building $web"
  (
    cd "$web" || exit 1
    if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
    npm run build --if-present
  )
}

# ---------------------------------------------------------------- test hooks
# Hook points for services the tests need; each installs what is missing.

# Headless browser for UI tests (CC_TEST_CHROMIUM).
ensure_chromium() {
  [ -x /usr/bin/chromium ] || apt_install chromium
  [ -x /usr/bin/chromium ] || die "chromium not found after install"
}

# IMAP server binary for the e-mail connector tests (tests run their own instance).
ensure_dovecot() {
  if [ ! -x /usr/sbin/dovecot ] || [ ! -e /usr/lib/dovecot/imap ]; then apt_install dovecot-imapd; fi
  [ -x /usr/sbin/dovecot ] || die "dovecot not found after install"
}

# Load balancer of scripts/cluster.sh and the two-node test (CC_TEST_NGINX). Only the binary is used: the
# package's own service stays stopped (apt_install's policy-rc.d) and its default site is never loaded.
ensure_nginx() {
  [ -x /usr/sbin/nginx ] || apt_install nginx
  [ -x /usr/sbin/nginx ] || die "nginx not found after install"
}

# render_nginx_conf SRC OUT DIR PORT NODE_PORT...: SRC (docker/nginx.conf) for a local nginx: it listens on
# 127.0.0.1:PORT, its upstream is the nodes on 127.0.0.1:NODE_PORT.. (each keeping the parameters of the first
# compose server line, e.g. max_fails), and its pid, logs and temp files go to DIR. Everything else (hub and
# WebSocket settings, sticky ip_hash, passive checks, locations) is the shipped file's. Fails when SRC no longer has
# the lines it rewrites, so a change to the conf cannot leave the local run silently different.
render_nginx_conf() {
  local src=$1 out=$2 dir=$3 port=$4
  shift 4
  [ $# -gt 0 ] || die "render_nginx_conf: no node ports"
  mkdir -p "$dir/tmp"
  dir=$(cd "$dir" && pwd -P)
  awk -v dir="$dir" -v port="$port" -v nodes="$*" '
    BEGIN { n = split(nodes, ports, " "); listen = 0; upstream = 0; http = 0 }
    NR == 1 {
      print "# rendered from " FILENAME " by scripts/lib.sh render_nginx_conf (loopback ports, local files)"
      print "pid " dir "/nginx.pid;"
      print "error_log " dir "/error.log warn;"
    }
    /^[ \t]*listen[ \t]+80;/ { sub(/listen[ \t]+80;/, "listen 127.0.0.1:" port ";"); listen++ }
    /^[ \t]*server[ \t]+[A-Za-z0-9_-]+:8080/ {
      if (upstream++ == 0) {
        indent = $0; sub(/[^ \t].*$/, "", indent)
        params = $0; sub(/^[ \t]*server[ \t]+[^ \t;]+/, "", params)
        for (i = 1; i <= n; i++) print indent "server 127.0.0.1:" ports[i] params
      }
      next
    }
    { print }
    /^http[ \t]*\{/ {
      http++
      print "    access_log " dir "/access.log;"
      print "    client_body_temp_path " dir "/tmp/body;"
      print "    proxy_temp_path " dir "/tmp/proxy;"
      print "    fastcgi_temp_path " dir "/tmp/fastcgi;"
      print "    uwsgi_temp_path " dir "/tmp/uwsgi;"
      print "    scgi_temp_path " dir "/tmp/scgi;"
    }
    END { if (listen != 1 || upstream < 1 || http != 1) { print "render_nginx_conf: unexpected conf shape" > "/dev/stderr"; exit 1 } }
  ' "$src" >"$out" || die "render_nginx_conf: $src does not have one 'listen 80;', an 'http {' and upstream 'server NAME:8080' lines"
  # Run as root, nginx hands its workers to nobody: they reach DIR and write the temp files.
  if [ "$(id -u)" -eq 0 ]; then
    chmod 755 "$dir"
    chown -R nobody "$dir/tmp"
  fi
}
