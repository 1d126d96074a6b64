"""Orders per second through the ordering page, and how soon the board shows a new order.

`make bench-orders`. Runs against its own database (bench_orders) in the project's PostgreSQL
cluster and drops it at the end. One café on the Enterprise plan, one location open all day (no
hours set), 20 products on the menu with plenty of stock, a signed-in STAFF user at the board.
300 buyers (each from its own address, as the rate limit counts per address) POST /pedir/ one
after the other, each timed through the Django test client in-process; then 4 threads place 200
more at once (throughput under row locks). The board: the poll that finds nothing new
(GET /orders/board.json?v=<current>), and the poll right after an order is placed, which must
answer "changed" with the new card (30 times, with the 500 open orders on the board).
Prints `order_p50_ms`, `order_p95_ms`, `orders_per_s`, `orders_per_s_4_threads`,
`board_poll_unchanged_p95_ms`, `board_poll_changed_p95_ms` and `board_update_latency_max_ms`
(the poll interval plus the changed poll: the longest a new order waits to appear), `refused`.
"""

import statistics
import sys
import threading
import time
from pathlib import Path

from own_database import run_inner  # bench/own_database: the throwaway database

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "bench_orders"
SLUG = "bench-orders"
PASSWORD = "bench-password-2026"
PRODUCTS = 20
SEQUENTIAL = 300
THREADS = 4
EACH = 50
BOARD_ROUNDS = 30


def percentile(values, q):
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def inner() -> None:
    import django

    django.setup()
    from decimal import Decimal

    from django.core.management import call_command
    from django.db import connection, connections
    from django.test import Client

    from accounts.models import User
    from accounts.services import user_create
    from inventory.models import Location, Product, StockLevel
    from orders.models import MenuItem, Order
    from orders.views import POLL_SECONDS
    from tenants.services import domain_for, platform_ensure, tenant_create

    call_command("migrate_schemas", verbosity=0)
    platform_ensure()
    tenant = tenant_create(
        slug=SLUG,
        name="Bench Café",
        owner_email="owner@bench-orders.test",
        owner_password=PASSWORD,
        plan_code="enterprise",
        country="CO",
        currency="COP",
        time_zone="America/Bogota",
    )
    connection.set_tenant(tenant)
    staff = user_create(email="barra@bench-orders.test", password=PASSWORD, role=User.Role.STAFF)
    location = Location.objects.create(name="Barra")
    products = []
    for n in range(PRODUCTS):
        product = Product.objects.create(
            sku=f"MENU-{n:03d}", name=f"Plato {n}", sale_price=Decimal(8000 + n * 500)
        )
        StockLevel.objects.create(product=product, location=location, on_hand=Decimal(100000))
        MenuItem.objects.create(product=product)
        products.append(product)
    host = domain_for(SLUG)

    def form(n: int) -> dict:
        return {
            "location": location.pk,
            "fulfilment": "pickup",
            "customer_name": f"Cliente {n}",
            "customer_phone": f"+57300{n:07d}",
            f"qty-{products[n % PRODUCTS].pk}": "2",
            f"qty-{products[(n + 7) % PRODUCTS].pk}": "1",
        }

    def place(client: Client, n: int) -> tuple[float, bool]:
        began = time.perf_counter()
        response = client.post(
            "/pedir/", form(n), REMOTE_ADDR=f"10.{n // 62500}.{n // 250 % 250}.{n % 250 + 1}"
        )
        return (time.perf_counter() - began) * 1000, response.status_code == 302

    buyer = Client(HTTP_HOST=host)
    buyer.get("/pedir/")
    timings, refused = [], 0
    wall = time.perf_counter()
    for n in range(SEQUENTIAL):
        elapsed, ok = place(buyer, n)
        timings.append(elapsed)
        refused += 0 if ok else 1
    wall = time.perf_counter() - wall

    failures = []

    def worker(offset: int) -> None:
        client = Client(HTTP_HOST=host)
        try:
            for n in range(offset, offset + EACH):
                if not place(client, n)[1]:
                    failures.append(n)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(SEQUENTIAL + k * EACH,)) for k in range(THREADS)]
    threaded = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    threaded = time.perf_counter() - threaded
    refused += len(failures)

    board = Client(HTTP_HOST=host)
    assert board.post("/accounts/login/", {"login": staff.email, "password": PASSWORD}).status_code == 302
    board.get("/orders/")
    unchanged, changed = [], []
    for round_ in range(BOARD_ROUNDS):
        version = board.get("/orders/board.json").json()["version"]
        began = time.perf_counter()
        answer = board.get("/orders/board.json", {"v": version}).json()
        unchanged.append((time.perf_counter() - began) * 1000)
        assert not answer["changed"]
        place(buyer, 10_000 + round_)
        began = time.perf_counter()
        answer = board.get("/orders/board.json", {"v": version}).json()
        changed.append((time.perf_counter() - began) * 1000)
        assert answer["changed"]
        newest = Order.objects.order_by("-pk").values_list("pk", flat=True).first()
        assert newest in answer["new"]
    placed = Order.objects.count()
    assert placed == SEQUENTIAL + THREADS * EACH + BOARD_ROUNDS - refused, placed

    print()
    print(f"order_p50_ms: {statistics.median(timings):.1f} ms")
    print(f"order_p95_ms: {percentile(timings, 95):.1f} ms")
    print(f"orders_per_s: {SEQUENTIAL / wall:.1f} /s")
    print(f"orders_per_s_4_threads: {THREADS * EACH / threaded:.1f} /s")
    print(f"board_poll_unchanged_p95_ms: {percentile(unchanged, 95):.1f} ms")
    print(f"board_poll_changed_p95_ms: {percentile(changed, 95):.1f} ms")
    print(f"board_update_latency_max_ms: {POLL_SECONDS * 1000 + percentile(changed, 95):.0f} ms")
    print(f"refused: {refused}")


def main() -> int:
    return run_inner(script=__file__, database=BENCH_DB, redis_dbs=(11, 12), timeout=1800)


if __name__ == "__main__":
    if "--inner" in sys.argv:
        inner()
    else:
        sys.exit(main())
