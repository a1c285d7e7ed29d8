# shellcheck shell=bash
# Shared helpers for run.sh and test.sh. Source it from a script that already
# runs with `set -euo pipefail`; it defines functions and a few variables only.
# The PostgreSQL and Redis helpers (find_pg_bin .. stop_redis) are in lib-services.sh, which it sources.
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
#   dotnet_build ARGS...        dotnet build with the compiler server, stopped afterwards
#   build_web                   npm ci/install + build of src/ContactCenter.Web if present
#   build_web_then_check, wait_web_checks   the same for ./test.sh, its checks beside the .NET build
#   ensure_chromium, ensure_test_browser, ensure_dovecot   hooks for browser / IMAP tests
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

# PostgreSQL and Redis (find_pg_bin .. stop_redis) live in lib-services.sh, next to this file.
# shellcheck source=scripts/lib-services.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib-services.sh"

# ---------------------------------------------------------------- web ------
# build_web: builds the browser app when src/ContactCenter.Web/package.json
# exists (npm ci with a lockfile, npm install without). CC_SKIP_WEB_BUILD=1 skips.
build_web() {
  _web_wanted || return 0
  (cd "$WEB_DIR" && _web_install && npm run build --if-present)
}

WEB_DIR=src/ContactCenter.Web

# Whether there is a web app to build (its package.json, no CC_SKIP_WEB_BUILD=1); installs npm when missing.
_web_wanted() {
  [ -f "$WEB_DIR/package.json" ] || return 1
  if [ "${CC_SKIP_WEB_BUILD:-0}" = 1 ]; then
    log "CC_SKIP_WEB_BUILD=1: not building $WEB_DIR"
    return 1
  fi
  command -v npm >/dev/null 2>&1 || apt_install nodejs npm
  log "building $WEB_DIR"
}

# In the web app's directory: npm ci with a lockfile, npm install without.
_web_install() {
  if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
}

# build_web_then_check: what build_web does, in the order ./test.sh wants it: the app itself first (npm ci, the API
# types, vite build: ~10 s), then the type check and the Vitest suite in the background (~40 s of one core, beside the
# .NET build instead of before it). WEB_CHECKS_PID is the background job (0 when there is none): wait_web_checks.
WEB_CHECKS_PID=0
WEB_CHECKS_LOG=
build_web_then_check() {
  _web_wanted || return 0
  # One && chain: this subshell sits left of `||`, where bash ignores `set -e` (a failed `npm ci` went on to build with
  # the node_modules an earlier run left).
  (cd "$WEB_DIR" && _web_install && npm run api && npx vite build) || return 1
  WEB_CHECKS_LOG=$(mktemp /tmp/cc-web-checks.XXXXXX)
  log "type check and Vitest of $WEB_DIR in the background"
  # In a process group of its own (setsid: a background job of a script leads no group, so setsid needs no fork and $! is
  # the group): the cleanup ends tsc/vitest too, which npx runs as grandchildren (sh -c under npm exec).
  setsid bash -c 'cd "$1" && npx tsc --noEmit && npx vitest run' web-checks "$WEB_DIR" >"$WEB_CHECKS_LOG" 2>&1 &
  WEB_CHECKS_PID=$!
}

# Waits for build_web_then_check's background checks; prints their output and fails when they failed.
wait_web_checks() {
  [ "$WEB_CHECKS_PID" != 0 ] || return 0
  local rc=0
  wait "$WEB_CHECKS_PID" || rc=$?
  WEB_CHECKS_PID=0
  cat "$WEB_CHECKS_LOG"
  rm -f "$WEB_CHECKS_LOG"
  if [ "$rc" -ne 0 ]; then log "web app checks failed (exit $rc)"; fi
  return "$rc"
}

# ---------------------------------------------------------------- .NET build
# dotnet_build ARGS...: `dotnet build` with the C# compiler server (VBCSCompiler) on for this one build, then stopped.
# This machine's environment says UseSharedCompilation=false (as `--disable-build-servers` does), so every project
# started a fresh compiler and warmed it up again: a clean Release build of the solution took 120-142 s, with a cold
# server 81-83 s (same clone, same restore, two runs each way, the server shut down between runs). The build gets a
# server of its own (a pipe name of its own, so it neither reuses nor stops anyone else's) and stops it when it ends;
# MSBuild's worker nodes do not stay either (-nodeReuse:false): nothing stays behind in CI. A build cut short by
# Ctrl-C leaves its server to end itself after its idle timeout (10 minutes). No pgrep: /proc is read directly.
dotnet_build() {
  local pipe="ccbuild$$r$RANDOM" rc=0 f cmd pid
  dotnet build "$@" -nodeReuse:false -p:UseSharedCompilation=true -p:SharedCompilationId="$pipe" || rc=$?
  for f in /proc/[0-9]*/cmdline; do
    cmd=$(tr '\0' ' ' 2>/dev/null <"$f") || continue # a process that ended meanwhile has no cmdline
    if [[ $cmd == *VBCSCompiler*"-pipename:$pipe"* ]]; then
      pid=${f#/proc/}
      kill "${pid%/cmdline}" 2>/dev/null || true
    fi
  done
  return "$rc"
}

# ---------------------------------------------------------------- test hooks
# Hook points for services the tests need; each installs what is missing.

# Headless browser for UI tests (CC_TEST_CHROMIUM).
ensure_chromium() {
  [ -x /usr/bin/chromium ] || apt_install chromium
  [ -x /usr/bin/chromium ] || die "chromium not found after install"
}

# The browser the tests drive: Debian's chromium-headless-shell (Chromium's headless-only build, the one Playwright
# itself runs for headless Chromium; same engine and version as the chromium package). Three browser test classes took
# 70 % less browser CPU with it than with the full chromium in --headless mode (28 against 100 s) and ran 35 % faster.
# Sets TEST_BROWSER to its path; falls back to the full chromium where the package cannot be had.
ensure_test_browser() {
  if [ ! -x /usr/bin/chromium-headless-shell ]; then apt_install chromium-headless-shell || true; fi
  TEST_BROWSER=/usr/bin/chromium-headless-shell
  if [ ! -x "$TEST_BROWSER" ]; then
    ensure_chromium
    TEST_BROWSER=/usr/bin/chromium
  fi
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
