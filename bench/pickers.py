"""The purchase-order form and the product pickers' lookup with 100,000 products.

`make bench-pickers`. Runs against its own database (bench_pickers) in the project's PostgreSQL
cluster and drops it at the end. One workspace with 100,000 products (bulk-inserted; names in
Spanish with accents, SKUs like AZU-000123), 20 suppliers and 3 locations. Timed in-process with
the Django test client as the owner, REPEATS times after WARMUP requests: GET
/purchase-orders/new/ (the form, whose pickers carry no product list; its size in bytes too), and
the pickers' lookup by a word without its accent (?q=cafe) and by an SKU prefix (?q=AZU-0001).
The issue's bound: the form answers in 150 ms or less at p50.
"""

import statistics
import sys
import time
from pathlib import Path

from own_database import run_inner  # bench/own_database: the throwaway database

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "bench_pickers"
SLUG = "bench-pickers"
PASSWORD = "bench-password-2026"
PRODUCTS = 100_000
WARMUP = 3
REPEATS = 30
WORDS = ["Café molido", "Azúcar", "Arroz", "Aceite", "Panela", "Atún", "Galletas", "Jabón", "Leche", "Té"]


def percentile(values, q):
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def inner() -> None:
    import django

    django.setup()
    from decimal import Decimal

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from inventory.models import Location, Product, Supplier
    from tenants.services import domain_for, platform_ensure, tenant_create

    call_command("migrate_schemas", verbosity=0)
    platform_ensure()
    tenant = tenant_create(
        slug=SLUG,
        name="Bench Pickers",
        owner_email="owner@bench-pickers.test",
        owner_password=PASSWORD,
        plan_code="enterprise",
    )
    connection.set_tenant(tenant)
    for n in range(3):
        Location.objects.create(name=f"Sucursal {n}")
    for n in range(20):
        Supplier.objects.create(name=f"Proveedor {n}")
    started = time.perf_counter()
    prefixes = ["CAF", "AZU", "ARR", "ACE", "PAN", "ATU", "GAL", "JAB", "LEC", "TEE"]
    batch = []
    for n in range(PRODUCTS):
        kind = n % len(WORDS)
        batch.append(
            Product(
                sku=f"{prefixes[kind]}-{n:06d}",
                name=f"{WORDS[kind]} {n} g",
                sale_price=Decimal("1000"),
                cost=Decimal("600"),
            )
        )
        if len(batch) == 10_000:
            Product.objects.bulk_create(batch)
            batch = []
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {connection.ops.quote_name(tenant.schema_name)}.inventory_product")
    print(f"inserted {PRODUCTS} products in {time.perf_counter() - started:.1f} s", flush=True)

    client = Client(HTTP_HOST=domain_for(SLUG))
    response = client.post("/accounts/login/", {"login": "owner@bench-pickers.test", "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]

    def measure(label: str, path: str, expect: bytes) -> tuple[list[float], int]:
        timings, size = [], 0
        for n in range(WARMUP + REPEATS):
            started = time.perf_counter()
            page = client.get(path)
            elapsed = (time.perf_counter() - started) * 1000
            assert page.status_code == 200 and expect in page.content, page.content[:300]
            size = len(page.content)
            if n >= WARMUP:
                timings.append(elapsed)
        print(
            f"{label}: p50 {statistics.median(timings):.1f} ms, p95 {percentile(timings, 95):.1f} ms",
            flush=True,
        )
        return timings, size

    form, form_bytes = measure("purchase-order form", "/purchase-orders/new/", b"data-product-picker")
    by_name, _size = measure("lookup ?q=cafe", "/products/lookup/?q=cafe", b"Caf\\u00e9 molido")
    by_sku, _size = measure("lookup ?q=AZU-0001", "/products/lookup/?q=AZU-0001", b"AZU-0001")

    print()
    print(f"po_form_p95_ms: {percentile(form, 95):.1f} ms")
    print(f"po_form_bytes: {form_bytes} bytes")
    print(f"lookup_name_p50_ms: {statistics.median(by_name):.1f} ms")
    print(f"lookup_sku_prefix_p50_ms: {statistics.median(by_sku):.1f} ms")
    print(f"po_form_p50_ms: {statistics.median(form):.1f} ms")


def main() -> int:
    return run_inner(script=__file__, database=BENCH_DB, redis_dbs=(9, 10), timeout=1200)


if __name__ == "__main__":
    if "--inner" in sys.argv:
        inner()
    else:
        sys.exit(main())
