"""Readiness (`/readyz`): may this instance take traffic? Liveness is `/healthz` (tenants.views).

Each check answers within about a second; the page is JSON, 200 when every check passes and 503
(with Retry-After) when one fails, naming it. No session, no tenant: the proxy calls it on the bare
domain and on any workspace's host alike.
"""

import time

from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from config.celery import app as celery_app

WORKER_PING_TIMEOUT_S = 1.0


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def _migrations() -> str:
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return "ok" if not pending else f"{len(pending)} migrations not applied"


def _redis() -> str:
    key = "readyz:probe"
    cache.set(key, "1", timeout=10)
    return "ok" if cache.get(key) == "1" else "cache did not keep a value"


def _worker() -> str:
    replies = celery_app.control.ping(timeout=WORKER_PING_TIMEOUT_S)
    return "ok" if replies else "no worker answered"


CHECKS = {"database": _database, "migrations": _migrations, "redis": _redis, "worker": _worker}


@never_cache
def readyz(request):
    results = {}
    for name, check in CHECKS.items():
        started = time.monotonic()
        try:
            outcome = check()
        except Exception as error:  # noqa: BLE001 - any failure of a dependency means "not ready"
            outcome = f"{type(error).__name__}"
        results[name] = {"status": outcome, "ms": round((time.monotonic() - started) * 1000, 1)}
    ready = all(result["status"] == "ok" for result in results.values())
    response = JsonResponse({"ready": ready, "checks": results}, status=200 if ready else 503)
    if not ready:
        response["Retry-After"] = "10"
    return response
