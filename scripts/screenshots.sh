#!/usr/bin/env bash
# Regenerates docs/screenshots (the pictures of docs/web-app.md and README): MainScreensTests makes a working day
# through the real routes (customers writing, managers answering, deals, activities) and photographs each main
# screen in headless Chromium, on a desktop and on a 390x844 phone (09-11-phone-*). Runs its own PostgreSQL
# (127.0.0.1:55441) and Redis (127.0.0.1:56391), like test.sh; CC_SHOTS_PG_PORT / CC_SHOTS_REDIS_PORT choose others.
#   scripts/screenshots.sh
set -euo pipefail
cd "$(dirname "$0")/.."
LOG_TAG="screenshots"
# shellcheck source=scripts/lib.sh
source scripts/lib.sh
work=$(mktemp -d /tmp/cc-shots.XXXXXX)
chmod 755 "$work"
cleanup() { stop_redis || true; stop_pg || true; rm -rf "$work"; }
trap cleanup EXIT

ensure_pg
ensure_redis
ensure_chromium
# The app's icons (channels, the paperclip) are emoji; a server image has no font for them.
fc-list 2>/dev/null | grep -qi "Noto Color Emoji" || apt_install fonts-noto-color-emoji
pg_port="${CC_SHOTS_PG_PORT:-55441}"
redis_port="${CC_SHOTS_REDIS_PORT:-56391}"
start_pg "$work/pg" "$pg_port" fast
start_redis "$redis_port" "$work/redis" --save "" --appendonly no
export CC_TEST_PG="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres"
export CC_TEST_REDIS="127.0.0.1:$redis_port"
export CC_TEST_CHROMIUM=/usr/bin/chromium
export CC_SCREENSHOTS_DIR="$PWD/docs/screenshots"

build_web
dotnet test tests/ContactCenter.Web.Tests -nologo --filter "FullyQualifiedName~MainScreensTests"
log "written: $(cd docs/screenshots && ls ./*.png | tr '\n' ' ')"
