"""API benchmark (`make bench-api`): the product list with 100,000 products and sale creation,
16 concurrent clients, served by gunicorn; beside the same views served without tenant routing
(a plain single-schema Django on the same data), measured in the same run.

Also the floor (issue 17): the same SELECT and JSON of the list and the detail from a bare WSGI
function on psycopg2 (bench/api_support/floor.py) under the same gunicorn, in the same run.

Figures (printed last): for list, detail and sale: api_<kind>_rps, _p50_ms, _p95_ms and the plain
server's rps; for list and detail the floor's rps and p50 and api_<kind>_vs_floor (rps ratio);
api_tenant_ratio (tenant-routed rps / plain rps, over list and sale requests together).

A workspace of its own (``bench-api``, on a plan of its own with API access and no practical rate
limit) in a throwaway database of its own (``bench_api``, bench/own_database: migrated, used,
dropped). Settings: BENCH_SECONDS (default 10 per measurement), BENCH_CLIENTS (16),
BENCH_WORKERS (gunicorn workers, default 3), BENCH_PRODUCTS (100000).
"""

import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
if __name__ == "__main__" and "--inner" not in sys.argv:
    from own_database import run_inner  # bench/own_database: the throwaway database

    sys.exit(run_inner(script=__file__, database="bench_api", redis_dbs=(11, 12), timeout=1800))

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
django.setup()

from django.db import connection  # noqa: E402

from accounts.models import User  # noqa: E402
from api.services import api_token_create  # noqa: E402
from inventory.models import Product  # noqa: E402
from inventory.services import location_create, stock_receive  # noqa: E402
from plans.models import Plan  # noqa: E402
from tenants.models import Tenant  # noqa: E402
from tenants.services import domain_for, tenant_create  # noqa: E402

SLUG = "bench-api"
PLAN = "bench-api"
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "16"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "3"))
PRODUCTS = int(os.environ.get("BENCH_PRODUCTS", "100000"))
KEEP = os.environ.get("BENCH_KEEP") == "1"


def say(message: str) -> None:
    sys.stderr.write(f"[bench api] {message}\n")
    sys.stderr.flush()


def workspace_prepare() -> tuple[Tenant, str, int, int]:
    """(tenant, raw token, location id, product id with stock) with PRODUCTS products."""
    plan, _ = Plan.objects.update_or_create(
        code=PLAN,
        defaults={"name": "Bench API", "has_api": True, "api_requests_per_minute": 10**9, "is_public": False},
    )
    tenant = Tenant.objects.filter(slug=SLUG).first()
    if tenant is None:
        tenant = tenant_create(
            slug=SLUG, name="Bench API", owner_email="owner@bench-api.test", owner_password="bench-pass-2026"
        )
    Tenant.objects.filter(pk=tenant.pk).update(plan=plan, status=Tenant.Status.ACTIVE)
    tenant = Tenant.objects.get(pk=tenant.pk)
    connection.set_tenant(tenant)
    owner = User.objects.get(email="owner@bench-api.test")
    _token, raw = api_token_create(user=owner, name="bench")
    missing = PRODUCTS - Product.objects.count()
    if missing > 0:
        say(f"creating {missing} products")
        start = Product.objects.count()
        # Bulk rows for the benchmark's data set (the services' per-row checks are not what is measured).
        for offset in range(0, missing, 10_000):
            Product.objects.bulk_create(
                [
                    Product(sku=f"B-{n:07d}", name=f"Producto {n:07d}", sale_price=Decimal("100"))
                    for n in range(start + offset, start + min(offset + 10_000, missing))
                ]
            )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE inventory_product")
    location = location_create(name=f"Bench {int(time.time())}")
    product = Product.objects.order_by("pk").first()
    stock_receive(product=product, location=location, quantity=10**7, user=owner)
    connection.set_schema_to_public()
    return tenant, raw, location.pk, product.pk


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(
    settings_module: str, extra_env: dict, app: str = "config.wsgi:application"
) -> tuple[subprocess.Popen, int]:
    port = free_port()
    # As in production: DEBUG off (the local settings default it on, which records every query).
    env = {
        **os.environ,
        "DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": settings_module,
        "PYTHONPATH": str(ROOT),
        **extra_env,
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            app,
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(WORKERS),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return process, port
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"gunicorn ({settings_module}) did not start")


def load(
    port: int, host: str, token: str, method: str, path: str, body: str | None, seconds: float = SECONDS
) -> tuple[float, list[float]]:
    """CLIENTS threads, each with its own keep-alive connection, for ``seconds``: (rps, latencies in ms)."""
    headers = {"Host": host, "Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    latencies: list[float] = []
    errors: list[int] = []
    lock = threading.Lock()
    stop_at = [0.0]
    barrier = threading.Barrier(CLIENTS + 1)

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, bad = [], 0
        barrier.wait()
        while time.monotonic() < stop_at[0]:
            started = time.perf_counter()
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            mine.append((time.perf_counter() - started) * 1000)
            if response.status >= 300:
                bad += 1
        with lock:
            latencies.extend(mine)
            errors.append(bad)
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    stop_at[0] = time.monotonic() + seconds
    started = time.monotonic()
    barrier.wait()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    if sum(errors):
        raise SystemExit(f"{sum(errors)} failed answers on {method} {path}")
    return len(latencies) / elapsed, latencies


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18]


def main() -> None:
    from django.core.management import call_command

    from tenants.services import platform_ensure

    call_command("migrate_schemas", verbosity=0)
    platform_ensure()
    tenant, token, location_id, product_id = workspace_prepare()
    host = domain_for(tenant.slug)
    # The POS catalogue: active products by name (served by the (is_active, name) index).
    list_path = "/api/v1/products/?is_active=true&page_size=50"
    sale_body = f'{{"location": {location_id}, "lines": [{{"product": {product_id}, "quantity": "1"}}]}}'
    detail_path = f"/api/v1/products/{product_id}/"
    db = connection.settings_dict
    floor_dsn = f"dbname={db['NAME']} user={db['USER']} host={db['HOST']} port={db['PORT']}"
    results = {}
    servers = [
        ("tenant", os.environ["DJANGO_SETTINGS_MODULE"], {}, "config.wsgi:application"),
        (
            "plain",
            "bench.api_support.plain_settings",
            {"BENCH_SCHEMA": tenant.schema_name, "BENCH_TENANT_ID": str(tenant.pk)},
            "config.wsgi:application",
        ),
        # The floor: the same SELECT and JSON from a bare WSGI function on psycopg2 (no Django).
        (
            "floor",
            os.environ["DJANGO_SETTINGS_MODULE"],
            {"BENCH_SCHEMA": tenant.schema_name, "BENCH_DSN": floor_dsn},
            "bench.api_support.floor:application",
        ),
    ]
    try:
        for name, settings_module, extra, app in servers:
            process, port = serve(settings_module, extra, app)
            try:
                say(f"{name}: warming up")
                load(port, host, token, "GET", list_path, None, seconds=2)
                say(f"{name}: product list, {CLIENTS} clients, {SECONDS:.0f} s")
                results[(name, "list")] = load(port, host, token, "GET", list_path, None)
                say(f"{name}: product detail, {CLIENTS} clients, {SECONDS:.0f} s")
                results[(name, "detail")] = load(port, host, token, "GET", detail_path, None)
                if name != "floor":
                    say(f"{name}: sale creation, {CLIENTS} clients, {SECONDS:.0f} s")
                    results[(name, "sale")] = load(port, host, token, "POST", "/api/v1/sales/", sale_body)
            finally:
                process.terminate()
                process.wait(timeout=30)
    finally:
        if not KEEP:
            say("dropping the bench workspace")
            tenant.delete(force_drop=True)
            Plan.objects.filter(code=PLAN).delete()
    tenant_rps = results[("tenant", "list")][0] + results[("tenant", "sale")][0]
    plain_rps = results[("plain", "list")][0] + results[("plain", "sale")][0]
    for kind in ("list", "detail", "sale"):
        rps, latencies = results[("tenant", kind)]
        print(f"api_{kind}_rps: {rps:.1f} /s")
        print(f"api_{kind}_p50_ms: {statistics.median(latencies):.1f} ms")
        print(f"api_{kind}_p95_ms: {p95(latencies):.1f} ms")
        print(f"plain_{kind}_rps: {results[('plain', kind)][0]:.1f} /s")
        if kind != "sale":
            floor_rps, floor_latencies = results[("floor", kind)]
            print(f"floor_{kind}_rps: {floor_rps:.1f} /s")
            print(f"floor_{kind}_p50_ms: {statistics.median(floor_latencies):.1f} ms")
            print(f"api_{kind}_vs_floor: {rps / floor_rps:.2f} x")
    print(f"api_tenant_ratio: {tenant_rps / plain_rps:.2f}")


if __name__ == "__main__":
    main()
