"""`make bench-load`: 50 simulated users for 60 s on gunicorn as in production, a realistic mix,
then the ledger checked.

In its own database (bench_load, dropped at the end): two workspaces (Enterprise-like plan with
the API, limits no run reaches), each with one store, 20 products (SKU prefixes LA- and LB-)
with 1,000,000 units each, its owner signed in (a session) and an API token. gunicorn serves
config.wsgi with docker/gunicorn.conf.py (2 workers x 4 threads by default), on 127.0.0.1 only.
locust runs headless with BENCH_LOAD_USERS (50) for BENCH_LOAD_SECONDS (60): per user, one of
the workspaces, and dashboard (3), product list (3), point-of-sale page and sale (2), API
product list (3), API sale (2). Every list answer must show its own workspace's SKUs and none of
the other's (a wrong schema counts as a failure). Afterwards, in each workspace, on-hand must
equal the sum of movements for every product and location.

Figures: `requests`, `requests_per_s`, `p50_ms`, `wrong_schema`, `onhand_mismatches`, then
`errors` and `p95_ms`.
"""

import csv
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from own_database import run_inner  # bench/own_database: the throwaway database

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "bench_load"
USERS = int(os.environ.get("BENCH_LOAD_USERS", "50"))
SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "60"))
WORKSPACES = (("load-a", "LA-", "Tienda Alfa"), ("load-b", "LB-", "Tienda Beta"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare() -> list[dict]:
    from decimal import Decimal

    from django.db import connection
    from django.test import Client

    from accounts.models import User
    from api.services import api_token_create
    from inventory.services import product_create, stock_receive
    from inventory.services.catalogue import location_create
    from plans.models import Plan
    from tenants.models import Tenant
    from tenants.services import domain_for, tenant_create

    plan, _ = Plan.objects.update_or_create(
        code="bench-load",
        defaults={
            "name": "Bench load",
            "has_api": True,
            "api_requests_per_minute": 10**9,
            "max_products": None,
            "max_sales_per_month": None,
            "is_public": False,
        },
    )
    targets = []
    for slug, prefix, name in WORKSPACES:
        tenant = tenant_create(
            slug=slug, name=name, owner_email=f"owner@{slug}.test", owner_password="bench-pass-2026"
        )
        Tenant.objects.filter(pk=tenant.pk).update(plan=plan, status=Tenant.Status.ACTIVE)
        tenant = Tenant.objects.get(pk=tenant.pk)
        connection.set_tenant(tenant)
        owner = User.objects.get(email=f"owner@{slug}.test")
        store = location_create(name="Centro")
        products = []
        for index in range(20):
            product = product_create(
                sku=f"{prefix}{index:03d}", name=f"Producto {index}", sale_price=Decimal("100")
            )
            stock_receive(product=product, location=store, quantity=1_000_000, user=owner)
            products.append(product.pk)
        _token, raw = api_token_create(user=owner, name="bench-load")
        client = Client(HTTP_HOST=domain_for(slug))
        client.force_login(owner)
        targets.append(
            {
                "host": domain_for(slug),
                "prefix": prefix,
                "name": name,
                "other_names": [other for _s, _p, other in WORKSPACES if other != name],
                "session": client.cookies["sessionid"].value,
                "token": raw,
                "location": store.pk,
                "products": products,
            }
        )
        connection.set_schema_to_public()
    return targets


def ledger_mismatches() -> int:
    from django.db import connection
    from django.db.models import Sum

    from inventory.models import StockLevel, StockMovement
    from tenants.models import Tenant

    mismatches = 0
    for slug, _prefix, _name in WORKSPACES:
        connection.set_tenant(Tenant.objects.get(slug=slug))
        moved = {
            (row["product_id"], row["location_id"]): row["total"]
            for row in StockMovement.objects.values("product_id", "location_id").annotate(
                total=Sum("quantity")
            )
        }
        for level in StockLevel.objects.all():
            if moved.get((level.product_id, level.location_id)) != level.on_hand:
                mismatches += 1
        connection.set_schema_to_public()
    return mismatches


def inner() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from tenants.services import platform_ensure

    print("migrating the throwaway database", flush=True)
    call_command("migrate_schemas", verbosity=0)
    platform_ensure()
    targets = prepare()
    connection.close()

    port = free_port()
    # As in production: DEBUG off (the local settings default it on, which records every query).
    env = {**os.environ, "DEBUG": "0", "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_LOG_LEVEL": "warning"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "docker/gunicorn.conf.py", "config.wsgi:application"],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("gunicorn did not start") from None
                time.sleep(0.3)
        print(f"locust: {USERS} users for {SECONDS} s on 127.0.0.1:{port}", flush=True)
        with tempfile.TemporaryDirectory(prefix="bench-load-") as folder:
            prefix = str(Path(folder) / "run")
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "locust",
                    "-f",
                    str(ROOT / "bench" / "load_support" / "locustfile.py"),
                    "--headless",
                    "--users",
                    str(USERS),
                    "--spawn-rate",
                    str(max(1, USERS // 5)),
                    "--run-time",
                    f"{SECONDS}s",
                    "--host",
                    f"http://127.0.0.1:{port}",
                    "--csv",
                    prefix,
                    "--only-summary",
                    "--stop-timeout",
                    "10",
                    "--loglevel",
                    "WARNING",
                ],
                cwd=ROOT,
                env={**os.environ, "LOAD_TARGETS": json.dumps(targets)},
                timeout=SECONDS + 120,
                check=False,
            )
            with open(f"{prefix}_stats.csv") as stats_file:
                total = next(row for row in csv.DictReader(stats_file) if row["Name"] == "Aggregated")
            with open(f"{prefix}_failures.csv") as failures_file:
                failures = list(csv.DictReader(failures_file))
    finally:
        server.terminate()
        server.wait(timeout=30)
    wrong_schema = sum(int(row["Occurrences"]) for row in failures if "wrong schema" in row["Error"])
    for row in failures:
        print(f"  failure: {row['Method']} {row['Name']}: {row['Error']} x{row['Occurrences']}")
    mismatches = ledger_mismatches()
    print(f"requests: {total['Request Count']} count")
    print(f"requests_per_s: {float(total['Requests/s']):.1f} req/s")
    print(f"p50_ms: {total['50%']} ms")
    print(f"wrong_schema: {wrong_schema} count")
    print(f"onhand_mismatches: {mismatches} count")
    print(f"errors: {total['Failure Count']} count")
    print(f"p95_ms: {total['95%']} ms")
    if int(total["Failure Count"]) or mismatches:
        sys.exit(1)


def main() -> int:
    return run_inner(script=__file__, database=BENCH_DB, redis_dbs=(9, 10), timeout=1500)


if __name__ == "__main__":
    if "--inner" in sys.argv:
        inner()
    else:
        sys.exit(main())
