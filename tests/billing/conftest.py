"""Billing test kit: a fake at the stripe library's HTTP transport (the real request building
and response parsing run), Stripe-style webhook signing, and real Stripe payloads from
tests/fixtures/stripe adapted to the test workspaces (ids, prices, times)."""

import copy
import hashlib
import hmac
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import stripe
from django.conf import settings
from django.db import connection
from django.test import Client

from billing import tasks
from billing.models import BillingAccount, PlanStripePrice
from plans.models import Plan

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "stripe"
WEBHOOK_SECRET = "whsec_test_billing_suite"
SECRET_KEY = "sk_test_BillingSuite0000000000000001"

PRICES = {
    # (plan code, currency, interval) -> Stripe price id
    ("basico", "ARS", "month"): "price_basico_ars_month",
    ("basico", "ARS", "year"): "price_basico_ars_year",
    ("profesional", "ARS", "month"): "price_profesional_ars_month",
    ("profesional", "ARS", "year"): "price_profesional_ars_year",
    ("enterprise", "USD", "month"): "price_enterprise_usd_month",
}


# --- The fake transport ----------------------------------------------------------------------


@dataclass
class Recorded:
    method: str
    path: str
    query: dict
    form: dict
    headers: dict
    # Savepoints open on the test's connection when the request was made: above the test's own
    # baseline means a call made inside one of the product's transactions.
    savepoints: int = 0
    host: str = ""


ENDED_STATUSES = ("canceled", "incomplete_expired", "paused")
TERMINAL_STATUSES = ("canceled", "incomplete_expired")


@dataclass
class FakeStripeHTTP(stripe.HTTPClient):
    """Answers the stripe library's requests and records them.

    ``answer()`` sets a canned response for one method and path. Otherwise a GET reads what
    "Stripe" holds now: every event a test delivers is first observed here, as Stripe's state
    after it (the newest event about an object wins; an invoice paid or failed moves its
    subscription's status as Stripe does; a cancelled subscription stays cancelled), and
    customers, products and the platform account exist with plain test values.
    """

    name = "fake"
    requests: list[Recorded] = field(default_factory=list)
    routes: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)
    subscriptions: dict = field(default_factory=dict)

    def __post_init__(self):
        super().__init__()

    def answer(self, method: str, path: str, body: dict, status: int = 200) -> None:
        self.routes[(method.upper(), path)] = (status, body)

    def observe(self, event: dict) -> None:
        """Stripe's state once ``event`` happened."""
        obj = copy.deepcopy(event["data"]["object"])
        created, kind, event_type = event["created"], obj.get("object"), event["type"]
        if kind == "subscription":
            record = self.subscriptions.setdefault(
                obj["id"], {"details": None, "details_as_of": -1, "status": None, "status_as_of": -1}
            )
            if created >= record["details_as_of"]:
                record.update(details=obj, details_as_of=created)
            if created >= record["status_as_of"] and record["status"] not in TERMINAL_STATUSES:
                record.update(status=obj.get("status"), status_as_of=created)
        elif kind == "invoice":
            self.objects[f"/v1/invoices/{obj['id']}"] = obj
            parent = (obj.get("parent") or {}).get("subscription_details") or {}
            record = self.subscriptions.get(obj.get("subscription") or parent.get("subscription"))
            if record is None or created < record["status_as_of"] or record["status"] in ENDED_STATUSES:
                return
            if event_type in ("invoice.paid", "invoice.payment_succeeded"):
                if int(obj.get("amount_paid") or 0) > 0 and record["status"] in (
                    "past_due", "unpaid", "incomplete", "trialing"
                ):  # fmt: skip
                    record["status"] = "active"
                record["status_as_of"] = created
            elif event_type == "invoice.payment_failed" and record["status"] in ("trialing", "active"):
                record.update(status="past_due", status_as_of=created)
        elif kind in ("customer", "payment_method", "product", "price"):
            self.objects[f"/v1/{kind}s/{obj['id']}"] = obj

    def _current(self, path: str):
        if path in self.objects:
            return self.objects[path]
        parts = path.strip("/").split("/")
        if path == "/v1/account":
            return platform_account_body()
        if len(parts) != 3:
            return None
        kind, object_id = parts[1], parts[2]
        if kind == "subscriptions" and object_id in self.subscriptions:
            record = self.subscriptions[object_id]
            return {**record["details"], "status": record["status"]}
        if kind == "customers":
            return customer_body(object_id)
        if kind == "products":
            return product_body(object_id)
        return None

    def request(self, method, url, headers, post_data=None, *, _usage=None):
        parts = urlsplit(url)
        form = parse_qs(post_data.decode() if isinstance(post_data, bytes) else post_data or "")
        self.requests.append(
            Recorded(
                method.upper(),
                parts.path,
                parse_qs(parts.query),
                form,
                dict(headers or {}),
                len(connection.savepoint_ids),
                parts.netloc,
            )
        )
        status, body = self.routes.get((method.upper(), parts.path), (None, None))
        if status is None:
            current = self._current(parts.path) if method.upper() == "GET" else None
            status, body = (200, current) if current is not None else (404, None)
        if body is None:
            body = {"error": {"type": "invalid_request_error", "message": f"no fake for {parts.path}"}}
        return json.dumps(body), status, {"Request-Id": "req_fake"}

    def request_stream(self, method, url, headers, post_data=None, *, _usage=None):
        raise NotImplementedError

    def close(self):
        pass

    def calls(self, method: str, path: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method and r.path == path]


def platform_account_body() -> dict:
    return {
        "id": "acct_test_platform",
        "object": "account",
        "business_profile": {"name": "Stockwise"},
        "charges_enabled": True,
        "country": "AR",
        "created": 1700000000,
        "default_currency": "ars",
        "details_submitted": True,
        "email": "billing@platform.test",
        "metadata": {},
        "payouts_enabled": True,
        "settings": {"dashboard": {"display_name": "Stockwise", "timezone": "America/Buenos_Aires"}},
        "type": "standard",
    }


def customer_body(customer_id: str) -> dict:
    return {
        "id": customer_id,
        "object": "customer",
        "created": int(time.time()),
        "email": "owner@workspace.test",
        "livemode": False,
        "metadata": {},
        "invoice_settings": {"default_payment_method": None},
    }


def product_body(product_id: str) -> dict:
    return {
        "id": product_id,
        "object": "product",
        "active": True,
        "created": 1700000000,
        "livemode": False,
        "metadata": {},
        "name": f"Stockwise plan {product_id}",
        "type": "service",
    }


_current_fake: list[FakeStripeHTTP] = []


@pytest.fixture
def stripe_http(settings, monkeypatch):
    """Billing online (test keys) with every Stripe call answered by the fake transport."""
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_billing_suite"
    settings.DJSTRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_LIVE_MODE = False
    fake = FakeStripeHTTP()
    monkeypatch.setattr(stripe, "default_http_client", fake)
    _current_fake.append(fake)
    yield fake
    _current_fake.remove(fake)


@pytest.fixture
def manual_mode(settings):
    settings.STRIPE_SECRET_KEY = ""
    settings.DJSTRIPE_WEBHOOK_SECRET = ""


@pytest.fixture
def emails_now(monkeypatch, django_capture_on_commit_callbacks):
    """Billing emails run in this process when sent after commit (no worker here):
    ``with emails_now(): ...`` then read mail.outbox."""
    task = tasks.send_billing_email

    class RunNow:
        @staticmethod
        def delay(*args):
            return task(*args)

    monkeypatch.setattr(tasks, "send_billing_email", RunNow)
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def stripe_prices(db):
    for (code, currency, interval), price_id in PRICES.items():
        PlanStripePrice.objects.create(
            plan=Plan.objects.get(code=code), currency=currency, interval=interval, stripe_price_id=price_id
        )
    return PRICES


def customer_of(tenant) -> str:
    return f"cus_{tenant.slug.replace('-', '')}"


@pytest.fixture
def linked(db, workspaces, stripe_prices):
    """alpha and beta each with a Stripe customer already (as after their first Checkout)."""
    for tenant in (workspaces.alpha, workspaces.beta):
        BillingAccount.objects.create(tenant=tenant, stripe_customer_id=customer_of(tenant))
    return workspaces


# --- Signing and delivering ------------------------------------------------------------------


def sign(payload: str, *, secret: str = WEBHOOK_SECRET, at: int | None = None) -> str:
    """The Stripe-Signature header Stripe would send: HMAC-SHA256 of "<t>.<body>"."""
    at = int(time.time()) if at is None else at
    mac = hmac.new(secret.encode(), f"{at}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={at},v1={mac}"


def deliver(event: dict, *, client: Client | None = None, observe: bool = True, **sign_options):
    """POST ``event`` to the webhook on the bare domain, signed like Stripe does (with
    ``observe``, the fake Stripe first takes the state the event announces)."""
    if observe and _current_fake:
        _current_fake[-1].observe(event)
    payload = json.dumps(event)
    client = client or Client(HTTP_HOST=settings.BASE_DOMAIN)
    return client.post(
        "/stripe/webhook/",
        data=payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(payload, **sign_options),
    )


# --- Real payloads, adapted ------------------------------------------------------------------

_counter = iter(range(1, 10**9))


def load(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())


def wrap(event_type: str, data: dict, *, created: int | None = None, event_id: str | None = None) -> dict:
    """A bare payload ({"object": ...}) in an event envelope, as the fixtures' README says."""
    return {
        "id": event_id or f"evt_test_{next(_counter)}",
        "object": "event",
        "api_version": settings.STRIPE_API_VERSION,
        "created": created or int(time.time()),
        "type": event_type,
        "livemode": False,
        "pending_webhooks": 0,
        "request": {"id": None, "idempotency_key": None},
        "data": data,
    }


def _envelope(event: dict, *, created: int | None, event_id: str | None) -> dict:
    event["id"] = event_id or f"evt_test_{next(_counter)}"
    event["created"] = created or int(time.time())
    return event


def subscription_object(
    *,
    customer: str,
    subscription_id: str = "sub_test_1",
    price_id: str = PRICES[("profesional", "ARS", "month")],
    currency: str = "ars",
    unit_amount: int = 8_900_000,
    interval: str = "month",
    status: str = "active",
    trial_end: int | None = None,
    cancel_at_period_end: bool = False,
) -> dict:
    """dj-stripe's subscription fixture (sub_fakefakefakefakefake0001) for our customer/price."""
    obj = copy.deepcopy(
        load("djstripe__customer.subscription.created__FAKE_EVENT_CUSTOMER_SUBSCRIPTION_CREATED.json")[
            "data"
        ]["object"]
    )
    now = int(time.time())
    obj.update(
        id=subscription_id,
        customer=customer,
        status=status,
        trial_end=trial_end,
        start_date=now - 3600,
        created=now - 3600,
        current_period_start=now - 3600,
        current_period_end=now + 30 * 86400,
        cancel_at_period_end=cancel_at_period_end,
        metadata={},
    )
    item = obj["items"]["data"][0]
    item["subscription"] = subscription_id
    for price in (item["price"], item["plan"], obj["plan"]):
        price["id"] = price_id
        price["currency"] = currency
    item["price"]["unit_amount"] = unit_amount
    item["price"]["unit_amount_decimal"] = str(unit_amount)
    item["price"]["recurring"]["interval"] = interval
    item["plan"]["amount"] = obj["plan"]["amount"] = unit_amount
    return obj


def subscription_event(event_type: str, *, created=None, event_id=None, **fields) -> dict:
    """customer.subscription.created / deleted from dj-stripe's fixtures (updated: pay's shape
    has no created-time fixture of its own, so the same object is used)."""
    created_fixture = "djstripe__customer.subscription.created__FAKE_EVENT_CUSTOMER_SUBSCRIPTION_CREATED.json"
    names = {
        "customer.subscription.created": created_fixture,
        "customer.subscription.updated": created_fixture,
        "customer.subscription.deleted": (
            "djstripe__customer.subscription.deleted__FAKE_EVENT_CUSTOMER_SUBSCRIPTION_DELETED.json"
        ),
    }
    event = _envelope(load(names[event_type]), created=created, event_id=event_id)
    event["type"] = event_type
    event["data"]["object"] = subscription_object(**fields)
    return event


def subscription_updated_payrails(
    *, customer: str, subscription_id: str, price_id: str, status: str, created=None, event_id=None
) -> dict:
    """pay-rails' customer.subscription.updated (items carry the period: the 2025+ shape)."""
    data = load("payrails__subscription.updated__event-data.json")
    obj = data["object"]
    obj.update(id=subscription_id, customer=customer, status=status, canceled_at=None, ended_at=None)
    obj["items"]["data"][0]["price"]["id"] = price_id
    obj["items"]["data"][0]["current_period_end"] = int(time.time()) + 30 * 86400
    for item in obj["items"]["data"]:
        item["subscription"] = subscription_id  # the fixture's items name its own scrubbed id
    return wrap("customer.subscription.updated", data, created=created, event_id=event_id)


def subscription_deleted_payrails(
    *, customer: str, subscription_id: str, created=None, event_id=None
) -> dict:
    data = load("payrails__subscription.deleted__event-data.json")
    now = int(time.time())
    data["object"].update(
        id=subscription_id, customer=customer, status="canceled", canceled_at=now, ended_at=now
    )
    for item in data["object"]["items"]["data"]:
        item["subscription"] = subscription_id  # the fixture's items name its own scrubbed id
    return wrap("customer.subscription.deleted", data, created=created, event_id=event_id)


def checkout_completed(
    *, customer: str, subscription_id: str, tenant_id=None, created=None, event_id=None
) -> dict:
    data = load("payrails__checkout.session.completed__event-data.json")
    data["object"].update(customer=customer, subscription=subscription_id)
    if tenant_id is not None:
        data["object"]["client_reference_id"] = str(tenant_id)
        data["object"]["metadata"] = {"tenant_id": str(tenant_id)}
    return wrap("checkout.session.completed", data, created=created, event_id=event_id)


def invoice_paid(
    *, customer: str, subscription_id: str | None, event_type="invoice.paid", created=None, event_id=None
) -> dict:
    """pay-rails' paid invoice object; with a subscription, in the 2025+ shape (under parent)."""
    obj = load("payrails__invoice__paid-object.json")
    obj["customer"] = customer
    obj["subscription"] = None
    obj["parent"] = (
        {
            "type": "subscription_details",
            "subscription_details": {"subscription": subscription_id, "metadata": {}},
        }
        if subscription_id
        else None
    )
    return wrap(event_type, {"object": obj}, created=created, event_id=event_id)


def invoice_payment_failed(*, customer: str, subscription_id: str, created=None, event_id=None) -> dict:
    data = load("payrails__invoice.payment_failed__event-data.json")
    data["object"]["customer"] = customer
    data["object"]["livemode"] = False
    data["object"]["parent"]["subscription_details"]["subscription"] = subscription_id
    return wrap("invoice.payment_failed", data, created=created, event_id=event_id)
