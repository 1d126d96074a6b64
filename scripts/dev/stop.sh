#!/usr/bin/env bash
# `make stop`: stop what `make run` started, by pid (each process group), then Redis and PostgreSQL.
source "$(dirname "$0")/lib.sh"

for name in beat worker web; do
    pidfile="$RUN_DIR/$name.pid"
    if pid_alive "$pidfile"; then
        pid="$(cat "$pidfile")"
        kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -KILL -- "-$pid" 2>/dev/null || true
        say "$name stopped"
    fi
    rm -f "$pidfile"
done
"$ROOT/scripts/dev/services.sh" stop
