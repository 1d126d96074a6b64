#!/usr/bin/env bash
# `make test`: set up as `make run` does (without starting the web processes) and run the suite:
# ruff (format and lint), then pytest against real PostgreSQL schemas, Redis, a Celery worker
# and headless Chromium. Services this script started are stopped again at the end.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

"$ROOT/scripts/dev/bootstrap.sh" --browser

already_running=0
# (Read whole first: with pipefail, `status | grep -q` fails when grep stops reading early.)
case "$("$ROOT/scripts/dev/services.sh" status)" in *"postgres: running"*) already_running=1 ;; esac
"$ROOT/scripts/dev/services.sh" start
if [ "$already_running" = 0 ]; then
    trap '"$ROOT/scripts/dev/services.sh" stop' EXIT
fi

say "ruff"
"$VENV/bin/ruff" format --check --quiet . || die "ruff format found unformatted files (run: .venv/bin/ruff format .)"
"$VENV/bin/ruff" check --quiet .

say "import-linter (the layers between the apps, pyproject.toml)"
"$VENV/bin/lint-imports" --no-cache >"$LOG_DIR/lint-imports.log" 2>&1 || { cat "$LOG_DIR/lint-imports.log"; die "an app imports from a layer above it"; }
grep -E "KEPT|BROKEN" "$LOG_DIR/lint-imports.log" || true

say "pytest"
# Tests use Redis databases 1 (Celery) and 2 (cache), so a running `make run` (database 0) is
# left alone and the suite may flush its cache between tests.
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/1"
export CACHE_URL="redis://127.0.0.1:$REDIS_PORT/2"
export DJANGO_SETTINGS_MODULE=config.settings.test
"$VENV/bin/pytest" "$@"
