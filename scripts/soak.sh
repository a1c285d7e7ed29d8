#!/usr/bin/env bash
# Soak test (not in CI): load with a fault injected every 45 s for as long as asked, then a table of what was
# sent, stored and delivered. Exits non-zero on any difference.
#   scripts/soak.sh --minutes 10 [--rate 20]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
work=$(mktemp -d /tmp/cc-soak.XXXXXX)
chmod 755 "$work"
cleanup() { stop_redis || true; stop_pg || true; }
trap cleanup EXIT
ensure_pg
ensure_redis
start_pg "$work/pg" 55437
start_redis 56387 "$work/redis"
export CC_TEST_PG="Host=127.0.0.1;Port=55437;Username=postgres;Database=postgres"
export CC_TEST_REDIS="127.0.0.1:56387"
dotnet build -c Release tests/ContactCenter.Soak >/dev/null
dotnet tests/ContactCenter.Soak/bin/Release/net10.0/ContactCenter.Soak.dll "$@"
