"""`make bench-migrate`: `migrate_schemas` over 1,000 workspaces, with nothing to do and with one
added column, through the in-process runner (tenants/migration_runner.py).

In its own database (bench_migrate, dropped at the end), with the settings of
bench/migrate_support (the project plus a small tenant app whose second migration adds a column):
the public schema and the template are migrated, then BENCH_MIGRATE_WORKSPACES (1,000) workspace
schemas are cloned from the template the way signup provisions them (tenants/provisioning.py),
their rows inserted in bulk. Then, each as an operator types it (a `manage.py` process):
`migrate_schemas --tenant` with nothing to apply, and again with the added column's migration.
The standard executor's no-op cost per schema (django-tenants' per-schema `migrate`) is measured
on one schema as the yardstick. Figures: `workspaces`, `clone_per_workspace_ms`,
`standard_noop_per_schema_ms`, `migrate_noop_s`, `migrate_add_column_s` (goal for both: ≤ 120 s)
and `schemas_with_new_column` (must equal the number of workspace schemas).
"""

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from own_database import run_inner  # bench/own_database: the throwaway database

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "bench_migrate"
WORKSPACES = int(os.environ.get("BENCH_MIGRATE_WORKSPACES", "1000"))
SETTINGS = "bench.migrate_support.settings"


def manage(*args: str, phase: str = "before") -> float:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS, "BENCH_MIGRATE_PHASE": phase}
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )
    return time.monotonic() - started


def inner() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from tenants.models import Tenant
    from tenants.provisioning import clone_template_schema
    from tenants.services import platform_ensure

    call_command("migrate_schemas", "--shared", verbosity=0)
    platform_ensure()
    template = Tenant.objects.get(status=Tenant.Status.TEMPLATE)
    print(f"cloning {WORKSPACES} workspaces from {template.schema_name}", flush=True)
    started = time.monotonic()
    rows = []
    for index in range(WORKSPACES):
        schema = f"ws_{index:05d}"
        clone_template_schema(base_schema=template.schema_name, schema_name=schema)
        rows.append(
            Tenant(schema_name=schema, slug=f"ws-{index:05d}", name=f"Workspace {index}", status="active")
        )
        if (index + 1) % 100 == 0:
            print(f"  {index + 1} cloned ({time.monotonic() - started:.0f} s)", flush=True)
    Tenant.objects.bulk_create(rows, batch_size=500)
    clone_s = time.monotonic() - started
    connection.close()

    standard = [
        manage(
            "migrate_schemas", "--tenant", "--executor", "standard", "--schema", f"ws_{index:05d}", "-v", "0"
        )
        for index in range(1)
    ]
    print("migrate_schemas --tenant (nothing to apply)", flush=True)
    noop_s = manage("migrate_schemas", "--tenant", "-v", "1")
    print("migrate_schemas --tenant (one added column)", flush=True)
    column_s = manage("migrate_schemas", "--tenant", "-v", "1", phase="after")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM information_schema.columns "
            "WHERE table_name = 'bench_migrate_benchnote' AND column_name = 'pinned'"
        )
        with_column = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM tenants_tenant WHERE schema_name <> 'public'")
        schemas = cursor.fetchone()[0]
    print(f"workspaces: {WORKSPACES} count")
    print(f"clone_per_workspace_ms: {clone_s * 1000 / WORKSPACES:.0f} ms")
    print(f"standard_noop_per_schema_ms: {statistics.median(standard) * 1000:.0f} ms")
    print(f"standard_noop_estimate_s: {statistics.median(standard) * schemas:.0f} s")
    print(f"workspace_schemas: {schemas} count")
    print(f"schemas_with_new_column: {with_column} count")
    print(f"migrate_noop_s: {noop_s:.1f} s")
    print(f"migrate_add_column_s: {column_s:.1f} s")
    if with_column != schemas:
        sys.exit("the column is missing from some schemas")


def main() -> int:
    return run_inner(
        script=__file__,
        database=BENCH_DB,
        redis_dbs=(11, 12),
        timeout=1500,
        extra_env={"DJANGO_SETTINGS_MODULE": SETTINGS, "BENCH_MIGRATE_PHASE": "before"},
    )


if __name__ == "__main__":
    if "--inner" in sys.argv:
        inner()
    else:
        sys.exit(main())
