#!/usr/bin/env bash
# shellcheck disable=SC2317 # cleanup functions are invoked from traps
# Runs the whole test suite against a private, throw-away PostgreSQL
# (127.0.0.1:55433) and Redis (127.0.0.1:56380); other ports through
# CC_TEST_PG_PORT and CC_TEST_REDIS_PORT.
#   ./test.sh                       all tests
#   ./test.sh --filter <expr>       dotnet test --filter <expr>
#   ./test.sh [other args]          passed on to dotnet test
# Ends with the line "Tests: N passed, N failed[, N skipped]" (from the TRX files).
set -euo pipefail
cd "$(dirname "$0")"
LOG_TAG="test"
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

SOLUTION=ContactCenter.sln
[ -f "$SOLUTION" ] || [ ! -f ContactCenter.slnx ] || SOLUTION=ContactCenter.slnx
# The first port from $1 that no socket uses. Both defaults lie in the kernel's ephemeral range (32768-60999), where any
# client socket may hold a port for a while: twice a run failed with "redis did not start on port 56380" right after
# another suite had ended. Without ss(8) the port is taken as it is.
free_port() {
  local p=$1
  if command -v ss >/dev/null 2>&1; then
    while [ -n "$(ss -Htan "( sport = :$p )" 2>/dev/null)" ]; do p=$((p + 1)); done
  fi
  echo "$p"
}
# CC_TEST_PG_PORT / CC_TEST_REDIS_PORT let two checkouts run their suites side by side (taken as given).
PG_PORT=${CC_TEST_PG_PORT:-$(free_port 55433)}
REDIS_PORT=${CC_TEST_REDIS_PORT:-$(free_port 56380)}

TEST_ARGS=()
while [ $# -gt 0 ]; do
  case $1 in
    --filter)
      [ $# -ge 2 ] || die "--filter needs an expression"
      TEST_ARGS+=(--filter "$2")
      shift 2
      ;;
    --filter=*)
      TEST_ARGS+=(--filter "${1#--filter=}")
      shift
      ;;
    *)
      TEST_ARGS+=("$1")
      shift
      ;;
  esac
done

WORK=$(mktemp -d /tmp/cc-test.XXXXXX)
RESULTS=$WORK/results
KEEP_WORK=0
cleanup() {
  set +e
  trap '' PIPE # output may go to a pipe (| tee) that Ctrl-C already closed
  if [ "${WEB_CHECKS_PID:-0}" != 0 ]; then kill -- -"$WEB_CHECKS_PID" 2>/dev/null; fi # its process group (build_web_then_check)
  stop_redis
  stop_pg
  if [ "$KEEP_WORK" = 1 ] || [ "${CC_KEEP_TEST_RESULTS:-0}" = 1 ]; then
    rm -rf "$WORK/pg" "$WORK/redis"
    log "test results kept in $RESULTS"
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

command -v dotnet >/dev/null 2>&1 || die "dotnet (SDK 10) is not installed"

# ---- services the tests need --------------------------------------------
ensure_pg
ensure_redis
# CC_TEST_CHROMIUM picks another browser binary (e.g. /usr/bin/chromium, the full browser).
if [ -n "${CC_TEST_CHROMIUM:-}" ]; then TEST_BROWSER=$CC_TEST_CHROMIUM; else ensure_test_browser; fi
ensure_dovecot
ensure_nginx

chmod 755 "$WORK"
start_pg "$WORK/pg" "$PG_PORT" fast
start_redis "$REDIS_PORT" "$WORK/redis" --save "" --appendonly no

export CC_TEST_PG="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres"
export CC_TEST_REDIS="127.0.0.1:$REDIS_PORT"
export CC_TEST_CHROMIUM=$TEST_BROWSER
export CC_TEST_DOVECOT=/usr/sbin/dovecot
export CC_TEST_NGINX=/usr/sbin/nginx
# Tests that stop and start PostgreSQL for real make a throw-away cluster of their own with these binaries.
export CC_TEST_PG_BIN=$PG_BIN

# ---- build ----------------------------------------------------------------
# dotnet_build (scripts/lib.sh) uses the compiler server and stops it afterwards: no build server stays behind.
BUILD_ARGS=(-c Release -nologo)

# The web app's own tests (Vitest, run by its build) are counted in the summary line too.
export CC_VITEST_JUNIT=$RESULTS/vitest-junit.xml
mkdir -p "$RESULTS"
build_web_then_check || { log "BUILD FAILED (web app)"; exit 1; }
log "dotnet build $SOLUTION"
if ! dotnet_build "$SOLUTION" "${BUILD_ARGS[@]}"; then
  log "BUILD FAILED"
  exit 1
fi
wait_web_checks || { log "BUILD FAILED (web app type check or Vitest)"; exit 1; }

# ---- test -----------------------------------------------------------------
# dotnet test runs the projects in the solution's order, as many at once as there are cores: ContactCenter.sln lists
# the two longest suites (browser, functional) first, so neither waits behind the short ones and starts last.
# The test processes (and the app processes some tests start) are short-lived and start many app hosts: a perf profile of
# the browser suite found half its process's CPU in the runtime's tier-1 re-compiling (instrumented tier, then tier 1).
# Without dynamic PGO, and with call counting waiting for a second with no new methods (default 100 ms), that process
# used 45% less CPU (perf samples, three browser test classes); the whole machine's CPU for those classes (build check
# included) 280 -> 243 s, mean of two interleaved runs each. Runtime knobs only; the code under test is the same. Either
# can be set from outside (DOTNET_TieredPGO=1 DOTNET_TC_CallCountingDelayMs=64 are the runtime's defaults); the delay is
# read as hex: 3E8 = 1000 ms.
export DOTNET_TieredPGO=${DOTNET_TieredPGO:-0} DOTNET_TC_CallCountingDelayMs=${DOTNET_TC_CallCountingDelayMs:-3E8}
log "dotnet test $SOLUTION ${TEST_ARGS[*]}"
rc=0
dotnet test "$SOLUTION" -c Release --no-build -nologo \
  --results-directory "$RESULTS" \
  --logger "trx;LogFilePrefix=cc" \
  --logger "console;verbosity=normal" \
  --blame-hang-timeout 15m --blame-hang-dump-type none \
  "${TEST_ARGS[@]}" || rc=$?

# ---- summary from the TRX files ------------------------------------------
# <Counters total="" executed="" passed="" failed="" error="" timeout="" aborted="" .../>
counter() { # ATTR COUNTERS_ELEMENT
  local v
  v=$(printf '%s' "$2" | sed -n "s/.*[[:space:]]$1=\"\([0-9]*\)\".*/\1/p")
  printf '%s' "${v:-0}"
}
total=0 executed=0 passed=0 failed=0 files=0
while IFS= read -r -d '' trx; do
  files=$((files + 1))
  while IFS= read -r el; do
    total=$((total + $(counter total "$el")))
    executed=$((executed + $(counter executed "$el")))
    passed=$((passed + $(counter passed "$el")))
    failed=$((failed + $(counter failed "$el") + $(counter error "$el") + $(counter timeout "$el") + $(counter aborted "$el")))
  done < <(tr '\r\n' '  ' <"$trx" | grep -o '<Counters [^>]*>' || true)
done < <(find "$RESULTS" -name '*.trx' -print0 2>/dev/null)
# Vitest's JUnit report: <testsuites name="vitest tests" tests="N" failures="N" errors="N" skipped="N" ...>
if [ -f "$CC_VITEST_JUNIT" ]; then
  el=$(tr '\r\n' '  ' <"$CC_VITEST_JUNIT" | grep -o '<testsuites [^>]*>' | head -n 1 || true)
  v_total=$(counter tests "$el") v_failed=$(($(counter failures "$el") + $(counter errors "$el"))) v_skipped=$(counter skipped "$el")
  total=$((total + v_total))
  executed=$((executed + v_total - v_skipped))
  passed=$((passed + v_total - v_skipped - v_failed))
  failed=$((failed + v_failed))
fi
skipped=$((total - executed))
[ "$skipped" -ge 0 ] || skipped=0

echo
summary="Tests: $passed passed, $failed failed"
[ "$skipped" -eq 0 ] || summary+=", $skipped skipped"
echo "$summary"

# The names and first lines of what failed, last, where a CI log's tail shows them.
list_failures() {
  local trx
  while IFS= read -r -d '' trx; do
    tr '\r\n' '  ' <"$trx" | sed 's/<\/UnitTestResult>/&\n/g' | while IFS= read -r result; do
        case $result in *'outcome="Failed"'* | *'outcome="Error"'* | *'outcome="Timeout"'* | *'outcome="Aborted"'*) ;; *) continue ;; esac
        name=$(printf '%s' "$result" | sed -n 's/.*testName="\([^"]*\)".*/\1/p')
        message=$(printf '%s' "$result" | sed -n 's/.*<Message>\(.\{0,600\}\).*/\1/p' | sed 's/<\/Message>.*//')
        echo "FAILED: $name"
        [ -z "$message" ] || echo "    $message"
      done
  done < <(find "$RESULTS" -name '*.trx' -print0 2>/dev/null)
}

if [ "$rc" -ne 0 ] || [ "$failed" -ne 0 ]; then
  list_failures || true
  KEEP_WORK=1
  log "dotnet test exited with code $rc"
  [ "$rc" -ne 0 ] || rc=1
  exit "$rc"
fi
if [ "$files" -eq 0 ] || [ "$total" -eq 0 ]; then
  log "no tests ran (no TRX results in $RESULTS)"
  exit 1
fi
exit 0
