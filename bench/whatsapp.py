"""Inbound WhatsApp messages per second through the platform webhook, each to a stored message and
an assistant reply queued; p95 from receipt to reply queued.

`make bench-whatsapp`. Runs against its own database (bench_whatsapp) in the project's PostgreSQL
cluster and drops it at the end. One shop on the Enterprise plan with the demo catalogue, its
number connected through the real service (a local stand-in at the Graph client's transport).
400 webhook deliveries in Meta's shape, signed with the app secret, from 80 customers (the first
message of each makes them a customer), cycling through greetings, opening hours, the address and
products by name; each POSTed to /whatsapp/webhook/ on the bare domain through the Django test
client in-process and timed from the request to the answer, by which time the message is stored and
the reply is queued (its row committed, its Celery task published to Redis). Then 50 of them are
delivered again (a replay must store nothing). Prints `receipt_to_reply_queued_p50_ms`,
`receipt_to_reply_queued_p95_ms`, `inbound_per_s`, `replay_p95_ms`, `stored` (must be 400),
`replies_queued` (must be 400) and `replays_stored` (must be 0).
"""

import hashlib
import hmac
import json
import statistics
import sys
import time
from pathlib import Path

from own_database import run_inner  # bench/own_database: the throwaway database

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "bench_whatsapp"
SLUG = "bench-whatsapp"
SECRET = "bench-app-secret"
NUMBER_ID = "900800700600501"
MESSAGES = 400
CUSTOMERS = 80
REPLAYS = 50
TEXTS = [
    "Hola",
    "¿tienen azúcar?",
    "¿A qué hora abren?",
    "¿Dónde están?",
    "Do you have cafe?",
    "precio del aceite",
]


def percentile(values, q):
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def payload(number: int) -> bytes:
    wa_id = f"57300{number % CUSTOMERS:07d}"
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "573005550000", "phone_number_id": NUMBER_ID},
        "contacts": [{"profile": {"name": f"Cliente {number % CUSTOMERS}"}, "wa_id": wa_id}],
        "messages": [
            {
                "from": wa_id,
                "id": f"wamid.BENCH{number:06d}",
                "timestamp": str(1_764_680_000 + number),
                "type": "text",
                "text": {"body": TEXTS[number % len(TEXTS)]},
            }
        ],
    }
    body = {
        "object": "whatsapp_business_account",
        "entry": [{"id": "1", "changes": [{"value": value, "field": "messages"}]}],
    }
    return json.dumps(body).encode()


def inner() -> None:
    import django

    django.setup()
    import httpx
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from inventory.demo import inventory_demo_seed
    from messaging.graph import transport_use
    from messaging.models import Message
    from messaging.services import account_connect
    from tenants.services import platform_ensure, tenant_create

    settings.WHATSAPP_APP_SECRET = SECRET
    call_command("migrate_schemas", verbosity=0)
    platform_ensure()
    tenant = tenant_create(
        slug=SLUG,
        name="Bench Almacén",
        owner_email="owner@bench-whatsapp.test",
        owner_password="bench-password-2026",
        plan_code="enterprise",
    )
    connection.set_tenant(tenant)
    inventory_demo_seed(kind="shop")

    def graph(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, json={"display_phone_number": "+57 300 555 0000", "verified_name": "Bench"}
        )

    with transport_use(httpx.MockTransport(graph)):
        account_connect(
            phone_number_id=NUMBER_ID, business_account_id="1", access_token="bench-token", user=None
        )
    connection.set_schema_to_public()
    client = Client(HTTP_HOST=settings.BASE_DOMAIN)

    def deliver(number: int) -> float:
        body = payload(number)
        signature = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        began = time.perf_counter()
        response = client.post(
            "/whatsapp/webhook/",
            data=body,
            content_type="application/json",
            HTTP_X_HUB_SIGNATURE_256=signature,
        )
        elapsed = (time.perf_counter() - began) * 1000
        assert response.status_code == 200, response.content
        return elapsed

    deliver(MESSAGES + 1)  # warm-up (first imports, first customer)
    timings = []
    wall = time.perf_counter()
    for number in range(MESSAGES):
        timings.append(deliver(number))
    wall = time.perf_counter() - wall
    replays = [deliver(number) for number in range(REPLAYS)]
    connection.set_tenant(tenant)
    stored = Message.objects.filter(direction="in").exclude(wamid=f"wamid.BENCH{MESSAGES + 1:06d}").count()
    queued = Message.objects.filter(direction="out", status="queued").count() - 1
    connection.set_schema_to_public()

    print()
    print(f"receipt_to_reply_queued_p50_ms: {statistics.median(timings):.1f} ms")
    print(f"receipt_to_reply_queued_p95_ms: {percentile(timings, 95):.1f} ms")
    print(f"inbound_per_s: {MESSAGES / wall:.1f} /s")
    print(f"replay_p95_ms: {percentile(replays, 95):.1f} ms")
    print(f"stored: {stored}")
    print(f"replies_queued: {queued}")
    print(f"replays_stored: {stored - MESSAGES}")


def main() -> int:
    return run_inner(script=__file__, database=BENCH_DB, redis_dbs=(12, 13), timeout=1800)


if __name__ == "__main__":
    if "--inner" in sys.argv:
        inner()
    else:
        sys.exit(main())
