#!/usr/bin/env bash
# `make run`: set everything up and run the product locally (web, Celery worker and beat),
# on a private PostgreSQL cluster and Redis server kept in .local/. Typed again, it reuses the data.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
# Links printed and mailed point at the port the web server listens on.
export SITE_PORT="$WEB_PORT"

"$ROOT/scripts/dev/bootstrap.sh"
"$ROOT/scripts/dev/services.sh" start

# Migrating every schema loads the migration graph once per schema (seconds): skip it when no
# migration file changed since the last successful run on this cluster.
migrations_hash="$(cat "$ROOT"/*/migrations/*.py "$ROOT"/requirements/*.txt | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$RUN_DIR/migrations.hash" 2>/dev/null || true)" != "$migrations_hash" ]; then
    say "migrating the public schema and every tenant schema"
    "$PY" manage.py migrate_schemas -v 0 >"$LOG_DIR/migrate.log" 2>&1 || { tail -n 30 "$LOG_DIR/migrate.log"; die "migration failed"; }
    echo "$migrations_hash" >"$RUN_DIR/migrations.hash"
else
    say "schemas up to date (no migration changed since the last run)"
fi
say "making sure the platform and the demo tenants exist"
"$PY" manage.py seed_demo

start_bg() {  # name, command...: start in its own session so `make stop` can end the whole group
    local name="$1"; shift
    if pid_alive "$RUN_DIR/$name.pid"; then
        say "$name already running (pid $(cat "$RUN_DIR/$name.pid"))"
        return 0
    fi
    setsid nohup "$@" >"$LOG_DIR/$name.log" 2>&1 </dev/null &
    echo $! >"$RUN_DIR/$name.pid"
    say "$name started (pid $!, log .local/logs/$name.log)"
}

if ! pid_alive "$RUN_DIR/web.pid" && curl -s -o /dev/null "http://127.0.0.1:$WEB_PORT/"; then
    die "port $WEB_PORT is already in use by another program (set WEB_PORT)"
fi
start_bg web "$PY" manage.py runserver "127.0.0.1:$WEB_PORT"
start_bg worker "$VENV/bin/celery" -A config worker -l info --concurrency 2
start_bg beat "$VENV/bin/celery" -A config beat -l info -s "$RUN_DIR/celerybeat-schedule"

for _ in $(seq 100); do
    curl -s -o /dev/null "http://127.0.0.1:$WEB_PORT/" && break
    sleep 0.2
done
pid_alive "$RUN_DIR/web.pid" && curl -s -o /dev/null "http://127.0.0.1:$WEB_PORT/" \
    || die "the web server did not answer (see .local/logs/web.log)"

"$PY" manage.py seed_demo --print-only
cat <<MSG

Stop everything with: make stop
MSG
