"""Fixtures of the payments tests: alpha as a Colombian academy (tests/fees), its MercadoPago and
Wompi connections with known secrets, a fake at the requests transport (``responses``: the SDK's
and our Wompi client's code runs whole), and notifications signed the documented ways."""

import hashlib
import hmac
import json
import time as clock
import uuid

import pytest
import responses
from django.conf import settings
from django.db import connection

from payments.models import Provider
from payments.services import connection_save
from tenants.models import Tenant
from tests.fees.conftest import *  # noqa: F403  (academy, families, team by role)

MP_API = "https://api.mercadopago.com"
WOMPI_SANDBOX = "https://sandbox.wompi.co/v1"
MP_SECRET = "mp-webhook-secret-alpha"
MP_TOKEN = "APP_USR-1234567890-alpha-access-token"
WOMPI_EVENTS = "test_events_alpha_secret"
WOMPI_INTEGRITY = "test_integrity_alpha_secret"
WOMPI_PRIVATE = "prv_test_alphaPrivateKey123"
WOMPI_PUBLIC = "pub_test_alphaPublicKey123"


@pytest.fixture(autouse=True)
def in_pesos_colombianos(academy):
    """alpha as a Colombian academy charging in COP (the row only: rolled back with the test)."""
    Tenant.objects.filter(pk=academy.pk).update(currency="COP")


@pytest.fixture
def fake():
    """Every HTTP call through requests is answered here (an unexpected one fails the test)."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def mercadopago(academy, owner):
    return connection_save(
        provider=Provider.MERCADOPAGO,
        data={"access_token": MP_TOKEN, "webhook_secret": MP_SECRET},
        user=owner,
    )


@pytest.fixture
def wompi(academy, owner):
    return connection_save(
        provider=Provider.WOMPI,
        data={
            "public_key": WOMPI_PUBLIC,
            "private_key": WOMPI_PRIVATE,
            "events_secret": WOMPI_EVENTS,
            "integrity_secret": WOMPI_INTEGRITY,
        },
        user=owner,
    )


def preference_created(fake, *, pref_id="123456789-abc"):
    """MercadoPago answers POST /checkout/preferences as documented (id, init_point, ...)."""
    fake.post(
        f"{MP_API}/checkout/preferences",
        json={
            "id": pref_id,
            "init_point": f"https://www.mercadopago.com.co/checkout/v1/redirect?pref_id={pref_id}",
            "sandbox_init_point": f"https://sandbox.mercadopago.com.co/checkout/v1/redirect?pref_id={pref_id}",
            "collector_id": 202809963,
            "client_id": "6295877106812064",
            "date_created": "2026-12-02T10:00:00.000-05:00",
        },
        status=201,
    )


def mp_payment(fake, payment_id: str, *, status: str, reference: str, amount, currency="COP", token=MP_TOKEN):
    """GET /v1/payments/{id} as MercadoPago documents it (the fields we read and a few more)."""
    fake.get(
        f"{MP_API}/v1/payments/{payment_id}",
        json={
            "id": int(payment_id),
            "status": status,
            "status_detail": "accredited" if status == "approved" else "cc_rejected_other_reason",
            "external_reference": reference,
            "transaction_amount": float(amount),
            "currency_id": currency,
            "payment_method_id": "visa",
            "payment_type_id": "credit_card",
            "date_created": "2026-12-02T10:01:00.000-05:00",
            "date_approved": "2026-12-02T10:01:02.000-05:00" if status == "approved" else None,
            "live_mode": False,
        },
        match=[responses.matchers.header_matcher({"Authorization": f"Bearer {token}"})],
    )


def mp_notification(client, route: str, payment_id: str, *, secret=MP_SECRET, ts=None, notification_id=None,
                    action="payment.updated"):  # fmt: skip
    """POST a webhook as MercadoPago sends it: ?data.id=…&type=payment, the documented body,
    x-request-id and x-signature = ts=…,v1=HMAC-SHA256(id:…;request-id:…;ts:…;)."""
    request_id = str(uuid.uuid4())
    ts = int(clock.time()) if ts is None else ts
    manifest = f"id:{payment_id};request-id:{request_id};ts:{ts};"
    v1 = hmac.new(secret.encode(), manifest.encode(), hashlib.sha256).hexdigest()
    body = {
        "id": notification_id or int(clock.time() * 1000) % 10**12,
        "live_mode": False,
        "type": "payment",
        "date_created": "2026-12-02T10:01:08.000-05:00",
        "user_id": 202809963,
        "api_version": "v1",
        "action": action,
        "data": {"id": payment_id},
    }
    return keeping_schema(
        lambda: client.post(
            f"/hooks/mercadopago/{route}/?data.id={payment_id}&type=payment",
            data=json.dumps(body),
            content_type="application/json",
            headers={"x-signature": f"ts={ts},v1={v1}", "x-request-id": request_id},
        )
    )


def wompi_event(client, route: str, *, transaction_id: str, status: str, reference: str, amount_in_cents: int,
                secret=WOMPI_EVENTS, timestamp=None):  # fmt: skip
    """POST a Wompi event as documented: transaction.updated with the transaction, signed by
    SHA256(transaction.id + transaction.status + transaction.amount_in_cents + timestamp + secret)."""
    timestamp = int(clock.time()) if timestamp is None else timestamp
    properties = ["transaction.id", "transaction.status", "transaction.amount_in_cents"]
    checksum = (
        hashlib.sha256(f"{transaction_id}{status}{amount_in_cents}{timestamp}{secret}".encode())
        .hexdigest()
        .upper()
    )
    body = {
        "event": "transaction.updated",
        "data": {
            "transaction": {
                "id": transaction_id,
                "amount_in_cents": amount_in_cents,
                "reference": reference,
                "customer_email": "marta@example.com",
                "currency": "COP",
                "payment_method_type": "NEQUI",
                "redirect_url": "https://alpha.localhost/pay/x/",
                "status": status,
                "shipping_address": None,
                "payment_link_id": None,
                "payment_source_id": None,
            }
        },
        "environment": "test",
        "signature": {"properties": properties, "checksum": checksum},
        "timestamp": timestamp,
        "sent_at": "2026-12-02T15:01:05.000Z",
    }
    return keeping_schema(
        lambda: client.post(
            f"/hooks/wompi/{route}/",
            data=json.dumps(body),
            content_type="application/json",
            headers={"x-event-checksum": checksum},
        )
    )


def keeping_schema(send):
    """A request to the bare domain leaves the connection on the public schema: come back."""
    tenant = connection.tenant
    response = send()
    connection.set_tenant(tenant)
    return response


def route_of(tenant, connection) -> str:
    return f"{tenant.slug}.{connection.route_token}"


@pytest.fixture
def hooks(client_for):
    """A client on the bare domain (where providers post)."""
    assert settings.BASE_DOMAIN
    return client_for(None)
