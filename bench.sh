#!/usr/bin/env bash
# shellcheck disable=SC2317 # cleanup functions are invoked from traps
# Benchmarks ContactCenter against this machine's own limits, in one run: starts a private PostgreSQL
# (127.0.0.1:55434, fsync and synchronous commit ON) and Redis (127.0.0.1:56381), builds the app and the
# benchmark tool in Release, and runs tests/ContactCenter.Benchmarks, which starts the app as real processes
# (one node, then two for scenario 6), runs the scenarios with a time limit each, prints one table and writes
# it to bench/results/ (JSON and Markdown, git-ignored).
#   ./bench.sh                      full run (about 10-12 minutes, under 15)
#   ./bench.sh --quick              small sizes (about 2 minutes, 3 with the build)
#   ./bench.sh --only ingest,push   some scenarios: baselines, ingest, push, connections, twonodes, queries
#   ./bench.sh --connections N --managers N --conversations N --messages N   override sizes
#   ./bench.sh --app-conn-extra "Max Auto Prepare=20"   extra connection-string options for the app
#   ./bench.sh --only queries --queries inbox,board --query-profile 1   some reads, each with the app's CPU profile
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd -P)
LOG_TAG="bench"
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

PG_PORT=${CC_TEST_PG_PORT:-55434}
REDIS_PORT=${CC_TEST_REDIS_PORT:-56381}
API_PROJECT=src/ContactCenter.Api/ContactCenter.Api.csproj
BENCH_PROJECT=tests/ContactCenter.Benchmarks/ContactCenter.Benchmarks.csproj
RESULTS=$ROOT/bench/results

case "${1:-}" in
  -h | --help)
    sed -n '3,13p' "$0" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
esac

WORK=$(mktemp -d /tmp/cc-bench.XXXXXX)
KEEP_WORK=${CC_KEEP_BENCH_WORK:-0}
cleanup() {
  set +e
  trap '' PIPE
  # Whatever the benchmark tool started and did not end (it writes their ids here), by id.
  if [ -f "$WORK/pids" ]; then
    while read -r pid; do
      [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && kill -TERM "$pid" 2>/dev/null
    done <"$WORK/pids"
    sleep 1
    while read -r pid; do
      [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
    done <"$WORK/pids"
  fi
  stop_redis
  stop_pg
  if [ "$KEEP_WORK" = 2 ]; then
    log "work files kept in $WORK (with the PostgreSQL data directory)"
  elif [ "$KEEP_WORK" = 1 ]; then
    rm -rf "$WORK/pg" "$WORK/redis" "$WORK/files"
    log "logs kept in $WORK"
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

command -v dotnet >/dev/null 2>&1 || die "dotnet (SDK 10) is not installed"

# ---- build first, so that a compile error leaves nothing to tear down ----
BUILD_ARGS=(-c Release -nologo -v quiet)
log "dotnet build (Release): app and benchmark tool (log: $WORK/build.log)"
if ! { dotnet_build "$API_PROJECT" "${BUILD_ARGS[@]}" && dotnet_build "$BENCH_PROJECT" "${BUILD_ARGS[@]}"; } >"$WORK/build.log" 2>&1; then
  grep -E "error|Error" "$WORK/build.log" | tail -n 30 >&2 || tail -n 30 "$WORK/build.log" >&2
  KEEP_WORK=1
  die "build failed"
fi
APP_DLL=$ROOT/src/ContactCenter.Api/bin/Release/net10.0/ContactCenter.Api.dll
BENCH_DLL=$ROOT/tests/ContactCenter.Benchmarks/bin/Release/net10.0/ContactCenter.Benchmarks.dll
[ -f "$APP_DLL" ] || die "$APP_DLL not found after the build"
[ -f "$BENCH_DLL" ] || die "$BENCH_DLL not found after the build"

# ---- services ---------------------------------------------------------------
ensure_pg
ensure_redis
# perf samples the app's CPU for the ingest profile; without it the profile is skipped (the results say so).
command -v perf >/dev/null 2>&1 || apt_install linux-perf || log "perf could not be installed: no app CPU profile this run"
PGBENCH=$PG_BIN/pgbench
[ -x "$PGBENCH" ] || PGBENCH=$(command -v pgbench || true)
[ -n "$PGBENCH" ] && [ -x "$PGBENCH" ] || die "pgbench not found (it comes with Debian's postgresql package)"

chmod 755 "$WORK"
# A durable server (fsync and synchronous commit stay on), sized for the seeded data, with
# pg_stat_statements and WAL timing for the ingest profile.
export CC_PG_EXTRA_CONF="shared_preload_libraries = 'pg_stat_statements'
pg_stat_statements.track = top
pg_stat_statements.track_planning = on
track_wal_io_timing = on
shared_buffers = 1GB
max_wal_size = 4GB"
start_pg "$WORK/pg" "$PG_PORT"
unset CC_PG_EXTRA_CONF
start_redis "$REDIS_PORT" "$WORK/redis" --save "" --appendonly no
pg_ensure_db "$PG_PORT" contactcenter_bench
pg_ensure_db "$PG_PORT" bench_baseline

mkdir -p "$RESULTS"
log "running the benchmarks (work files in $WORK)"
rc=0
dotnet "$BENCH_DLL" run \
  --pg "Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres" \
  --redis "127.0.0.1:$REDIS_PORT" \
  --app-dll "$APP_DLL" \
  --pgbench "$PGBENCH" \
  --results "$RESULTS" \
  --work "$WORK" \
  "$@" || rc=$?
if [ "$rc" -ne 0 ] && [ "$KEEP_WORK" = 0 ]; then
  KEEP_WORK=1
  log "the benchmark tool exited with code $rc (app logs kept in $WORK)"
fi
exit "$rc"
