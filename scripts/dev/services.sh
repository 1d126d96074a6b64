#!/usr/bin/env bash
# Starts or stops the project's private PostgreSQL cluster and Redis server.
# Their data, sockets, logs and pid files live in .local/ inside the project.
# Usage: services.sh start|stop|status
source "$(dirname "$0")/lib.sh"

PGBIN="$(pg_bin || true)"

pg_start() {
    [ -n "$PGBIN" ] || die "PostgreSQL server programs not found (run scripts/dev/bootstrap.sh)"
    if [ ! -f "$PG_DATA/PG_VERSION" ]; then
        say "creating a private PostgreSQL cluster in .local/pg"
        mkdir -p "$PG_DATA" "$PG_SOCK"
        if is_root; then
            chown -R postgres: "$LOCAL/pg"
            # the postgres user must be able to reach the data folder
            runuser -u postgres -- test -x "$LOCAL/pg" || die "user postgres cannot reach $LOCAL/pg"
        fi
        chmod 700 "$PG_DATA"
        as_pg "$PGBIN/initdb" -D "$PG_DATA" -U saas --auth=trust -E UTF8 --locale=C.UTF-8 \
            >"$LOG_DIR/initdb.log" 2>&1 || { cat "$LOG_DIR/initdb.log"; die "initdb failed"; }
        rm -f "$RUN_DIR/migrations.hash"  # a new cluster: `make run` must migrate it
    fi
    if as_pg "$PGBIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
        return 0
    fi
    touch "$LOG_DIR/postgres.log"
    is_root && chown postgres: "$LOG_DIR/postgres.log"
    # Development cluster: durability traded for speed (fsync off); listens on loopback only.
    as_pg "$PGBIN/pg_ctl" -D "$PG_DATA" -l "$LOG_DIR/postgres.log" -w -t 60 \
        -o "-p $PG_PORT -k $PG_SOCK -c listen_addresses=127.0.0.1 -c fsync=off \
            -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >/dev/null || { tail -n 20 "$LOG_DIR/postgres.log"; die "PostgreSQL did not start"; }
    say "PostgreSQL listening on 127.0.0.1:$PG_PORT"
    if ! psql -h 127.0.0.1 -p "$PG_PORT" -U saas -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname = 'saas'" | grep -q 1; then
        psql -h 127.0.0.1 -p "$PG_PORT" -U saas -d postgres -qc "CREATE DATABASE saas" >/dev/null
    fi
}

pg_stop() {
    [ -f "$PG_DATA/PG_VERSION" ] || return 0
    if as_pg "$PGBIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
        as_pg "$PGBIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null && say "PostgreSQL stopped"
    fi
}

redis_start() {
    pid_alive "$RUN_DIR/redis.pid" && return 0
    redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 \
        && die "port $REDIS_PORT is already used by another Redis (set REDIS_PORT)"
    mkdir -p "$LOCAL/redis"
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes \
        --pidfile "$RUN_DIR/redis.pid" --dir "$LOCAL/redis" --logfile "$LOG_DIR/redis.log" \
        --save "" --appendonly no >/dev/null
    for _ in $(seq 50); do
        redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break
        sleep 0.1
    done
    pid_alive "$RUN_DIR/redis.pid" && redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 \
        || die "Redis did not start (see $LOG_DIR/redis.log)"
    say "Redis listening on 127.0.0.1:$REDIS_PORT"
}

redis_stop() {
    if pid_alive "$RUN_DIR/redis.pid"; then
        redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || kill "$(cat "$RUN_DIR/redis.pid")"
        say "Redis stopped"
    fi
    rm -f "$RUN_DIR/redis.pid"
}

case "${1:-}" in
    start) pg_start; redis_start ;;
    stop) redis_stop; pg_stop ;;
    status)
        as_pg "$PGBIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1 && echo "postgres: running" || echo "postgres: stopped"
        pid_alive "$RUN_DIR/redis.pid" && echo "redis: running" || echo "redis: stopped" ;;
    *) die "usage: services.sh start|stop|status" ;;
esac
