# shellcheck shell=bash
# PostgreSQL and Redis helpers of scripts/lib.sh, which sources this file; not meant to be sourced on its own
# (it uses lib.sh's log, die, apt_install and port_open).
#
#   find_pg_bin, ensure_pg, start_pg, stop_pg, pg_ensure_db
#   ensure_redis, start_redis, stop_redis      (described at the top of lib.sh)

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
      # Every test fixture makes a database of its own and none is dropped, so a run ends with hundreds; the autovacuum
      # launcher visits each in turn (a worker every autovacuum_naptime / databases), starting a backend there every
      # fraction of a second. Measured on 12 functional test classes with 290 databases left from earlier runs:
      # PostgreSQL 32-36 s of CPU with autovacuum, 25-26 s without (as on a fresh cluster). The tests' tables are small
      # and emptied between tests; the few tests that need statistics run ANALYZE themselves.
      echo "autovacuum = off"
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
