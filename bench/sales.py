"""Sales posted per second by concurrent cashiers on the same products, and no lost update.

`make bench-sales`. Runs against its own database (bench_sales) in the project's PostgreSQL
cluster and drops it at the end. One workspace (Enterprise plan: no monthly sales limit), one
store, 20 products with a large stock. Writer processes (separate Python processes, each its own
connection) post sales through ``inventory.services.sale_create`` (committed, each in its own
transaction) for DURATION_S seconds: 1 to 3 random lines of the 20 products, 1 to 3 units each.
Measured with 1 writer (the baseline) and with 8 writers in the same run. At the end every
product's on-hand must equal its starting stock minus what the writers say they sold, and the
ledger (stock movements) and the sale lines must agree: a product where they differ is a lost update.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from own_database import run_inner  # bench/own_database: the throwaway database

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "bench_sales"
SLUG = "bench-sales"
PRODUCTS = 20
START_STOCK = 1_000_000
DURATION_S = float(os.environ.get("BENCH_SALES_SECONDS", "20"))
WRITERS = 8


def _setup_django():
    import django

    django.setup()


def inner() -> None:
    _setup_django()
    from decimal import Decimal

    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Sum

    from accounts.models import User
    from inventory.models import Location, Product, SaleLine, StockLevel, StockMovement
    from inventory.services import stock_receive
    from tenants.services import platform_ensure, tenant_create

    call_command("migrate_schemas", verbosity=0)
    platform_ensure()
    tenant = tenant_create(
        slug=SLUG,
        name="Bench Sales",
        owner_email="owner@bench-sales.test",
        owner_password=None,
        plan_code="enterprise",
    )
    connection.set_tenant(tenant)
    owner = User.objects.get(email="owner@bench-sales.test")
    store = Location.objects.create(name="Mostrador")
    products = [
        Product.objects.create(
            sku=f"B-{n:03d}", name=f"Producto {n}", sale_price=Decimal("100"), cost=Decimal("60")
        )
        for n in range(PRODUCTS)
    ]
    for product in products:
        stock_receive(
            product=product, location=store, quantity=START_STOCK, unit_cost=Decimal("60"), user=owner
        )
    connection.close()

    def run(writers: int) -> tuple[float, dict[int, int], int]:
        procs = [
            subprocess.Popen(
                [sys.executable, __file__, "--writer", str(n), str(DURATION_S)],
                cwd=ROOT,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            for n in range(writers)
        ]
        for proc in procs:  # every writer has set Django up and is connected
            assert proc.stdout.readline().strip() == "ready"
        start_at = time.time() + 0.5  # then they all start at the same moment
        for proc in procs:
            proc.stdin.write(f"{start_at}\n")
            proc.stdin.flush()
        sold: dict[int, int] = {}
        sales = errors = 0
        for proc in procs:
            out, _err = proc.communicate(timeout=DURATION_S + 120)
            report = json.loads(out.strip().splitlines()[-1])
            sales += report["sales"]
            errors += report["errors"]
            for product_id, quantity in report["sold"].items():
                sold[int(product_id)] = sold.get(int(product_id), 0) + quantity
        rate = sales / DURATION_S
        print(f"{writers} writer(s): {sales} sales in {DURATION_S:.0f} s, {errors} errors", flush=True)
        return rate, sold, errors

    baseline, sold_one, errors_one = run(1)
    concurrent, sold_many, errors_many = run(WRITERS)

    connection.set_tenant(tenant)
    lost = 0
    for product in products:
        sold = sold_one.get(product.pk, 0) + sold_many.get(product.pk, 0)
        level = StockLevel.objects.get(product=product, location=store).on_hand
        ledger = StockMovement.objects.filter(product=product, location=store).aggregate(s=Sum("quantity"))[
            "s"
        ]
        lines = SaleLine.objects.filter(product=product).aggregate(s=Sum("quantity"))["s"] or 0
        if not (level == ledger == START_STOCK - sold == START_STOCK - lines):
            lost += 1
            print(f"mismatch {product.sku}: on hand {level}, ledger {ledger}, sold {sold}, lines {lines}")
    print()
    print(f"baseline_1_writer_sales_per_s: {baseline:.1f} /s")
    print(f"ratio_{WRITERS}_writers_vs_1: {concurrent / baseline:.2f} x")
    print(f"errors: {errors_one + errors_many}")
    print(f"sales_per_s: {concurrent:.1f} /s")
    print(f"lost_updates: {lost}")


def writer(number: int, duration: float) -> None:
    """One cashier: post sales until the time is up; report what was sold, as JSON."""
    _setup_django()
    import random
    from decimal import Decimal

    from django.db import connection

    from accounts.models import User
    from inventory.exceptions import InventoryError
    from inventory.models import Location, Product
    from inventory.services import SaleLineInput, sale_create
    from tenants.models import Tenant

    connection.set_tenant(Tenant.objects.get(slug=SLUG))
    owner = User.objects.get(email="owner@bench-sales.test")
    store = Location.objects.get()
    products = list(Product.objects.order_by("pk"))
    owner.role  # noqa: B018 (loaded before the clock starts)
    rng = random.Random(number)
    sold: dict[int, int] = {}
    sales = errors = 0
    print("ready", flush=True)
    start_at = float(sys.stdin.readline())
    time.sleep(max(0.0, start_at - time.time()))
    deadline = start_at + duration
    while time.time() < deadline:
        picked = rng.sample(products, rng.randint(1, 3))
        lines = [(product, rng.randint(1, 3)) for product in picked]
        try:
            sale_create(
                location=store,
                seller=owner,
                lines=[SaleLineInput(product, Decimal(quantity)) for product, quantity in lines],
                payment_method="card",
            )
        except InventoryError:
            errors += 1
            continue
        sales += 1
        for product, quantity in lines:
            sold[product.pk] = sold.get(product.pk, 0) + quantity
    print(json.dumps({"sales": sales, "errors": errors, "sold": sold}), flush=True)


def main() -> int:
    return run_inner(script=__file__, database=BENCH_DB, redis_dbs=(13, 14), timeout=900)


if __name__ == "__main__":
    if "--inner" in sys.argv:
        inner()
    elif "--writer" in sys.argv:
        index = sys.argv.index("--writer")
        writer(int(sys.argv[index + 1]), float(sys.argv[index + 2]))
    else:
        sys.exit(main())
