#!/bin/sh
# Entry point of the production image. Shortcuts for the processes docker/compose.yml runs;
# anything else (gunicorn ..., celery ..., python manage.py ...) is executed as given.
#
#   migrate [args]  migrate_schemas --noinput (public schema, then every tenant), then platform_setup
#   web [args]      gunicorn with docker/gunicorn.conf.py
#   worker [args]   celery -A config worker -l info
#   beat [args]     celery -A config beat -l info -s /tmp/celerybeat-schedule
#
# `exec` hands PID 1 (or tini's child, with `init: true`) to the real process, so it receives
# the container's SIGTERM and shuts down gracefully.
set -eu

cd /app

case "${1:-web}" in
    migrate)
        [ "$#" -gt 0 ] && shift
        python manage.py migrate_schemas --noinput "$@"
        # the public tenant for BASE_DOMAIN and the template schema new workspaces are cloned from
        exec python manage.py platform_setup
        ;;
    web)
        [ "$#" -gt 0 ] && shift
        exec gunicorn --config docker/gunicorn.conf.py "$@" config.wsgi:application
        ;;
    worker)
        shift
        exec celery -A config worker -l "${CELERY_LOG_LEVEL:-info}" "$@"
        ;;
    beat)
        shift
        exec celery -A config beat -l "${CELERY_LOG_LEVEL:-info}" -s /tmp/celerybeat-schedule "$@"
        ;;
    *)
        exec "$@"
        ;;
esac
