"""Gunicorn settings for the production image (`gunicorn --config docker/gunicorn.conf.py`).

WSGI only, with sync or gthread workers: django-tenants keeps the current tenant on the
database connection, and Django's connections are per thread, so every thread serves one
request at a time on its own connection. ASGI/async workers would break that.

Tunable from the environment (docker/.env):
  WEB_CONCURRENCY       worker processes (default 2; about 2 x CPU cores is a usual ceiling)
  GUNICORN_THREADS      threads per worker (default 4; 1 gives plain sync workers)
  GUNICORN_TIMEOUT      seconds before a silent worker is restarted (default 30)
  GUNICORN_MAX_REQUESTS requests before a worker is recycled (default 1000, 0 = never)
  GUNICORN_LOG_LEVEL    default info
  PROMETHEUS_MULTIPROC_DIR  an empty folder: /metrics then adds up every worker's figures
  FORWARDED_ALLOW_IPS   addresses whose X-Forwarded-* headers are trusted (default *: port 8000
                        is only reachable from the proxy on the compose network)

Each worker thread may hold one PostgreSQL connection (CONN_MAX_AGE keeps it open), so
WEB_CONCURRENCY x GUNICORN_THREADS plus the Celery worker's concurrency must stay below
PostgreSQL's max_connections (100 by default).
"""

import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, "") or default)


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = _int("WEB_CONCURRENCY", 2)
threads = _int("GUNICORN_THREADS", 4)
worker_class = "gthread" if threads > 1 else "sync"
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = 30
keepalive = 5
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = max_requests // 10
# Heartbeat files on tmpfs: the container's overlay filesystem can stall them.
worker_tmp_dir = "/dev/shm"

# Logs to the container's stdout/stderr.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Client address as forwarded by the proxy, the Host (which workspace), and the time taken (µs).
access_log_format = '%({x-forwarded-for}i)s %({host}i)s %(t)s "%(r)s" %(s)s %(b)s %(D)sus "%(a)s"'

forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "*")

# gunicorn's control socket (for `gunicornc`) defaults to $HOME/.gunicorn, and the app user's
# home (/app) is read-only: keep it in /tmp instead.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "/tmp/gunicorn.ctl")


def child_exit(server, worker):
    """Prometheus in multiprocess mode (PROMETHEUS_MULTIPROC_DIR set, an empty folder cleared at
    start): a worker that exits stops counting in /metrics' live gauges."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # Local import: only needed when metrics are shared between worker processes.
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
