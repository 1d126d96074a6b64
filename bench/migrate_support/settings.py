"""Settings of `make bench-migrate`'s inner run: the project's, plus the benchmark's tenant app.
BENCH_MIGRATE_PHASE=after gives that app its second migration (one added column)."""

import os

from config.settings.local import *  # noqa: F403

TENANT_APPS = [*TENANT_APPS, "bench.migrate_support"]  # noqa: F405
INSTALLED_APPS = [*INSTALLED_APPS, "bench.migrate_support"]  # noqa: F405
_PHASE = os.environ.get("BENCH_MIGRATE_PHASE", "before")
MIGRATION_MODULES = {
    "bench_migrate": "bench.migrate_support.migrations_after"
    if _PHASE == "after"
    else "bench.migrate_support.migrations"
}
