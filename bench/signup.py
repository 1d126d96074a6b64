"""Signup-to-ready time as the number of workspaces grows, beside creating a schema by migrations.

`make bench-signup`. Runs against its own database (bench_signup) in the project's PostgreSQL
cluster, started if needed, and drops it at the end. For 10, 100 and 500 existing workspaces it
times SIGNUPS_PER_POINT signups through the real view (form validation, Argon2 hashing, cloning
the template schema, owner, legal acceptances, confirmation email queued) until the new owner's
home page answers 200 through the confirmation link (which signs them in). In the same run it
times creating a workspace schema by running every migration (the baseline that cloning replaces).
"""

import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from own_database import run_inner  # bench/own_database: the throwaway database

ROOT = Path(__file__).resolve().parent.parent
POINTS = (10, 100, 500)
SIGNUPS_PER_POINT = 15
MIGRATE_REPEATS = 3
BENCH_DB = "bench_signup"


def percentile(values, q):
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def inner() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client, override_settings

    from tenants.confirmation import confirmation_token
    from tenants.models import Tenant
    from tenants.services import platform_ensure, tenant_create
    from tests.tenants.human import altcha_solve

    call_command("migrate_schemas", verbosity=0)
    platform_ensure()

    # Baseline: a workspace schema created by running every migration.
    migrate_ms = []
    with override_settings(TENANT_CREATION_FAKES_MIGRATIONS=False, TENANT_BASE_SCHEMA=None):
        for n in range(MIGRATE_REPEATS):
            started = time.perf_counter()
            tenant_create(
                slug=f"migrated-{n}", name="Migrated", owner_email="m@example.com", owner_password=None
            )
            migrate_ms.append((time.perf_counter() - started) * 1000)
    for tenant in Tenant.objects.filter(slug__startswith="migrated-"):
        tenant.delete(force_drop=True)
    print(f"migrate-create: {[round(v) for v in migrate_ms]} ms", flush=True)

    results = {}
    filler = 0
    serial = 0
    for point in POINTS:
        while (
            Tenant.objects.exclude(status=Tenant.Status.TEMPLATE).exclude(schema_name="public").count()
            < point
        ):
            tenant_create(
                slug=f"filler-{filler}", name="Filler", owner_email="f@example.com", owner_password=None
            )
            filler += 1
        timings = []
        for _ in range(SIGNUPS_PER_POINT):
            serial += 1
            slug = f"bench-{serial}"
            client = Client(HTTP_HOST="localhost")
            # The proof of a human is solved before the clock starts (a browser does it while the
            # visitor types); the timing is the server's.
            altcha = altcha_solve(client.get("/signup/").content.decode())
            started = time.perf_counter()
            response = client.post(
                "/signup/",
                {
                    "business_name": f"Bench {serial}",
                    "subdomain": slug,
                    "kind": "shop",
                    "country": "AR",
                    "currency": "ARS",
                    "time_zone": "America/Argentina/Buenos_Aires",
                    "language": "es",
                    "owner_name": "Bench Owner",
                    "owner_email": f"owner{serial}@example.com",
                    "password": "bench-password-2026",
                    "accept_terms": "on",
                    "accept_privacy": "on",
                    "altcha": altcha,
                },
            )
            assert response.status_code == 302, response.content[:2000]
            # Then the owner follows the link of the confirmation email, which signs them in.
            link = urlsplit(response["Location"])
            workspace = Client(HTTP_HOST=link.hostname)
            token = confirmation_token(Tenant.objects.get(slug=slug))
            home = workspace.get(f"/confirm/{token}/", follow=True)
            assert home.status_code == 200 and b'data-testid="active-products"' in home.content
            timings.append((time.perf_counter() - started) * 1000)
            connection.set_schema_to_public()
        for tenant in Tenant.objects.filter(slug__startswith="bench-"):
            tenant.delete(force_drop=True)
        results[point] = timings
        print(f"{point} workspaces: {[round(v) for v in timings]} ms", flush=True)

    migrate_p50 = statistics.median(migrate_ms)
    print()
    for point in POINTS:
        print(f"signup_p50_ms_at_{point}: {statistics.median(results[point]):.0f} ms")
        print(f"signup_p95_ms_at_{point}: {percentile(results[point], 95):.0f} ms")
    last = results[POINTS[-1]]
    print(f"migrate_create_p50_ms: {migrate_p50:.0f} ms")
    print(f"signup_vs_migrate_ratio: {statistics.median(last) / migrate_p50:.2f} x")
    print(f"signup_p50_ms: {statistics.median(last):.0f} ms")
    print(f"signup_p95_ms: {percentile(last, 95):.0f} ms")


def main() -> int:
    return run_inner(
        script=__file__,
        database=BENCH_DB,
        redis_dbs=(11, 12),
        timeout=1500,
        extra_env={
            # The bench signs up hundreds of workspaces from one address: lift the abuse throttle.
            "SIGNUP_RATE_PER_ADDRESS": "1000000/h",
            "SIGNUP_RATE_PER_EMAIL_DOMAIN": "1000000/h",
        },
    )


if __name__ == "__main__":
    if "--inner" in sys.argv:
        inner()
    else:
        sys.exit(main())
