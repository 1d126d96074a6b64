"""Import rate of a 100,000-row sales-history CSV, beside a dry run of the same file.

`make bench-import`. Runs against its own database (bench_import) in the project's PostgreSQL
cluster, started if needed, and drops it at the end. One workspace on the Enterprise plan, one
store; a generated UCI-like file (InvoiceNo, StockCode, Description, Quantity, InvoiceDate,
UnitPrice, CustomerID, Country) of IMPORT_ROWS rows: 2,000 StockCodes (new products), about 4
lines an invoice, 2 % returns (cancelled "C" invoices), dates over the last year.

Baseline, in the same run: the same file checked without writing (a dry run: read, detect,
parse, validate every row against the database, the plan limit). Then the real import (the same
plus every product, sale, line and return written in bulk, in one transaction). Both run as the
Celery worker runs them (``import_job_run``). Figures printed last, one per line.
"""

import os
import sys
import time
from datetime import timedelta
from pathlib import Path

from own_database import run_inner  # bench/own_database: the throwaway database

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "bench_import"
IMPORT_ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))
SKUS = 2_000


def history_csv(rows: int, today) -> bytes:
    lines = ["InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country"]
    for n in range(rows):
        invoice = n // 4
        is_return = n % 50 == 7
        day = today - timedelta(days=1 + (invoice * 7919) % 360)
        sku = (n * 104729) % SKUS
        quantity = -(1 + n % 2) if is_return else 1 + n % 12
        customer = "" if n % 9 == 0 else f"{12000 + invoice % 4000}.0"
        lines.append(
            f"{'C' if is_return else ''}{500000 + invoice},SKU{sku:05d},ARTICLE {sku},"
            f"{quantity},{day.isoformat()} {8 + n % 10:02d}:{n % 60:02d}:00,{1 + sku % 40}.{n % 100:02d},"
            f"{customer},Argentina"
        )
    return ("\n".join(lines) + "\n").encode()


def inner() -> None:
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django_tenants.utils import schema_context

    from accounts.models import User
    from inventory.dates import workspace_today
    from inventory.imports.services import import_job_create, import_job_run, import_job_start
    from inventory.models import ImportJob, Location, Sale, SaleLine
    from tenants.services import platform_ensure, tenant_create

    call_command("migrate_schemas", verbosity=0)
    platform_ensure()
    tenant = tenant_create(
        slug="bench-import",
        name="Bench Import",
        owner_email="owner@bench-import.test",
        owner_password=None,
        plan_code="enterprise",
    )
    with schema_context(tenant.schema_name):
        owner = User.objects.get(email="owner@bench-import.test")
        store = Location.objects.create(name="Depósito")
        data = history_csv(IMPORT_ROWS, workspace_today())
        print(f"file: {IMPORT_ROWS} rows, {len(data) / 1e6:.1f} MB", flush=True)

        def timed_run(dry_run: bool) -> tuple[float, ImportJob]:
            job = import_job_create(
                user=owner,
                kind=ImportJob.Kind.SALES_HISTORY,
                file=SimpleUploadedFile("history.csv", data),
                default_location=store,
            )
            started = time.perf_counter()
            job = import_job_start(job=job, user=owner, dry_run=dry_run)
            if job.status == ImportJob.Status.QUEUED:
                job = import_job_run(job_id=job.pk)  # what the Celery task calls
            elapsed = time.perf_counter() - started
            assert job.status == (ImportJob.Status.CHECKED if dry_run else ImportJob.Status.DONE), job.errors[
                :3
            ]
            return elapsed, job

        check_s, checked = timed_run(dry_run=True)
        print(f"dry run: {check_s:.1f} s, {checked.counts}", flush=True)
        import_s, imported = timed_run(dry_run=False)
        print(f"import: {import_s:.1f} s, {imported.counts}", flush=True)
        assert SaleLine.objects.count() == IMPORT_ROWS
        assert Sale.objects.count() == imported.counts["sales_created"] + imported.counts["returns_created"]

    check_rate = IMPORT_ROWS / check_s
    import_rate = IMPORT_ROWS / import_s
    print()
    print(f"import_rows: {IMPORT_ROWS} rows")
    print(f"baseline_dry_run_rows_per_s: {check_rate:.0f} /s")
    print(f"import_s: {import_s:.1f} s")
    print(f"import_vs_dry_run_ratio: {import_rate / check_rate:.2f} x")
    print(f"import_rows_per_s: {import_rate:.0f} /s")


def main() -> int:
    return run_inner(script=__file__, database=BENCH_DB, redis_dbs=(15, 15), timeout=900, own_media=True)


if __name__ == "__main__":
    if "--inner" in sys.argv:
        inner()
    else:
        sys.exit(main())
