"""dj-stripe as the mirror of Stripe: each handled event type through the webhook fills dj-stripe's
tables (Customer with the workspace as subscriber, Subscription and items, Price, Product,
Invoice, PaymentMethod, Event), every read of Stripe happens outside the product's transactions,
a delivery while Stripe is down writes nothing and its retry succeeds, and the super-admin browses
the mirror of a workspace in the admin."""

import time

import pytest
import stripe
from django.conf import settings
from django.db import connection
from djstripe.models import Customer, Invoice, PaymentMethod, Price, Product, Subscription, SubscriptionItem
from djstripe.models import Event as DjstripeEvent

from accounts.services import user_create
from billing.models import BillingAccount, BillingSubscription, StripeEvent, SubscriptionStatus
from billing.services import billing_customer_ensure
from billing.stripe_api import configure_stripe_library
from tenants.models import Tenant
from tests.billing.conftest import (
    PRICES,
    checkout_completed,
    customer_body,
    customer_of,
    deliver,
    invoice_paid,
    invoice_payment_failed,
    subscription_deleted_payrails,
    subscription_event,
    subscription_object,
    subscription_updated_payrails,
    wrap,
)
from tests.billing.test_webhooks import fresh
from tests.conftest import PASSWORD

Status = Tenant.Status
STRIPE_DOWN = {"error": {"type": "api_error", "message": "An unknown error occurred"}}


def payment_method_attached(*, customer: str, payment_method_id: str = "pm_test_card_1") -> dict:
    """A payment_method.attached event (Stripe's card payment method shape, test values)."""
    return wrap(
        "payment_method.attached",
        {
            "object": {
                "id": payment_method_id,
                "object": "payment_method",
                "type": "card",
                "customer": customer,
                "created": int(time.time()),
                "livemode": False,
                "metadata": {},
                "billing_details": {"address": {}, "email": None, "name": None, "phone": None},
                "card": {
                    "brand": "visa",
                    "exp_month": 12,
                    "exp_year": 2030,
                    "last4": "4242",
                    "country": "AR",
                },
            }
        },
    )


def test_each_event_type_fills_the_mirror_and_reads_stripe_outside_transactions(stripe_http, linked):
    alpha = linked.alpha
    customer = customer_of(alpha)
    now = int(time.time())
    stripe_http.answer(
        "GET",
        "/v1/subscriptions/sub_checkout",
        subscription_object(customer=customer, subscription_id="sub_checkout"),
    )
    events = [
        checkout_completed(customer=customer, subscription_id="sub_checkout", created=now - 600),
        subscription_event("customer.subscription.created", customer=customer, created=now - 500),
        invoice_payment_failed(customer=customer, subscription_id="sub_test_1", created=now - 400),
        invoice_paid(customer=customer, subscription_id="sub_test_1", created=now - 300),
        invoice_paid(
            customer=customer,
            subscription_id="sub_test_1",
            event_type="invoice.payment_succeeded",
            created=now - 300,
        ),
        subscription_updated_payrails(
            customer=customer,
            subscription_id="sub_test_1",
            price_id=PRICES[("basico", "ARS", "month")],
            status="active",
            created=now - 200,
        ),
        payment_method_attached(customer=customer),
        subscription_deleted_payrails(customer=customer, subscription_id="sub_test_1", created=now - 100),
    ]
    baseline = len(connection.savepoint_ids)

    for event in events:
        response = deliver(event)
        assert response.status_code == 200, event["type"]

    # Every call to Stripe was made before the product opened a transaction.
    assert {request.savepoints for request in stripe_http.requests} == {baseline}
    assert set(DjstripeEvent.objects.values_list("id", flat=True)) == {event["id"] for event in events}
    mirrored_customer = Customer.objects.get(id=customer)
    assert mirrored_customer.subscriber_id == alpha.pk
    subscription = Subscription.objects.get(id="sub_test_1")
    assert subscription.customer_id == customer
    assert subscription.status == "canceled"
    assert Subscription.objects.get(id="sub_checkout").customer_id == customer
    assert SubscriptionItem.objects.filter(subscription_id="sub_test_1").exists()
    assert Price.objects.filter(id=PRICES[("basico", "ARS", "month")]).exists()
    assert Product.objects.filter(id="prod_00000000000000").exists()
    assert set(Invoice.objects.values_list("customer_id", flat=True)) == {customer}
    assert PaymentMethod.objects.get(id="pm_test_card_1").customer_id == customer
    # Our own tables hold what Stripe does not know: the plan mapping and the workspace's state.
    assert BillingSubscription.objects.get(stripe_subscription_id="sub_checkout").plan.code == "profesional"
    assert BillingSubscription.objects.get(stripe_subscription_id="sub_test_1").status == "canceled"
    assert fresh(alpha).status == Status.ACTIVE  # sub_checkout is still live


def test_a_subscription_event_while_stripe_is_down_gets_503_writes_nothing_and_the_retry_applies(
    stripe_http, linked
):
    alpha = linked.alpha
    event = subscription_event("customer.subscription.created", customer=customer_of(alpha))
    stripe_http.answer("GET", "/v1/subscriptions/sub_test_1", STRIPE_DOWN, status=500)

    failed = deliver(event)

    assert failed.status_code == 503
    assert failed.json()["code"] == "stripe_unavailable"
    assert not StripeEvent.objects.exists()
    assert not DjstripeEvent.objects.exists()
    assert not Customer.objects.exists()
    assert not Subscription.objects.exists()
    assert not BillingSubscription.objects.exists()
    assert fresh(alpha).status == Status.TRIAL

    del stripe_http.routes[("GET", "/v1/subscriptions/sub_test_1")]
    retried = deliver(event)

    assert retried.status_code == 200
    assert Subscription.objects.get(id="sub_test_1").customer_id == customer_of(alpha)
    assert BillingSubscription.objects.get().status == SubscriptionStatus.ACTIVE
    assert fresh(alpha).status == Status.ACTIVE


def test_a_read_of_stripe_older_than_one_applied_never_replaces_it(stripe_http, linked):
    alpha = linked.alpha
    customer = customer_of(alpha)
    deliver(subscription_event("customer.subscription.created", customer=customer))
    deliver(subscription_event("customer.subscription.deleted", customer=customer, status="canceled"))
    # A delivery whose read of Stripe is older than the one applied (it waited on the lock).
    row = BillingSubscription.objects.get()
    BillingSubscription.objects.filter(pk=row.pk).update(synced_at=row.synced_at.replace(year=2100))
    stripe_http.answer(
        "GET", "/v1/subscriptions/sub_test_1", subscription_object(customer=customer, status="active")
    )

    deliver(subscription_event("customer.subscription.updated", customer=customer), observe=False)

    assert BillingSubscription.objects.get().status == SubscriptionStatus.CANCELED
    assert Subscription.objects.get(id="sub_test_1").status == "canceled"
    assert fresh(alpha).status == Status.TRIAL_EXPIRED


def test_customer_metadata_never_makes_another_workspace_its_subscriber(stripe_http, linked):
    alpha, beta = linked.alpha, linked.beta
    stripe_http.answer(
        "GET",
        f"/v1/customers/{customer_of(alpha)}",
        {
            "id": customer_of(alpha),
            "object": "customer",
            "created": int(time.time()),
            "email": "owner@alpha.test",
            "livemode": False,
            "metadata": {"djstripe_subscriber": str(beta.pk)},  # claims beta
            "invoice_settings": {"default_payment_method": None},
        },
    )

    deliver(subscription_event("customer.subscription.created", customer=customer_of(alpha)))

    assert Customer.objects.get(id=customer_of(alpha)).subscriber_id == alpha.pk
    assert not Customer.objects.filter(subscriber=beta).exists()


def test_every_call_goes_to_the_configured_api_base(stripe_http, linked, settings, monkeypatch):
    settings.STRIPE_API_BASE = "http://localhost:12111"  # a local Stripe-compatible server
    monkeypatch.setattr(stripe, "api_base", stripe.api_base)  # restored after the test
    configure_stripe_library()
    BillingAccount.objects.filter(tenant=linked.beta).update(stripe_customer_id=None)
    stripe_http.answer("POST", "/v1/customers", customer_body("cus_beta_created"))

    deliver(subscription_event("customer.subscription.created", customer=customer_of(linked.alpha)))
    billing_customer_ensure(tenant=linked.beta)  # through dj-stripe's Customer.get_or_create

    assert stripe_http.calls("GET", "/v1/subscriptions/sub_test_1")
    assert stripe_http.calls("POST", "/v1/customers")
    assert {request.host for request in stripe_http.requests} == {"localhost:12111"}


@pytest.fixture
def admin_client(client_for):
    superadmin = user_create(email="root@platform.test", password=PASSWORD, is_superuser=True)
    client = client_for(None)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(superadmin)
    return client


def test_the_admin_shows_the_mirrored_objects_of_a_workspace(stripe_http, linked, admin_client):
    alpha = linked.alpha
    deliver(subscription_event("customer.subscription.created", customer=customer_of(alpha)))
    invoice = invoice_paid(customer=customer_of(alpha), subscription_id="sub_test_1")
    del invoice["data"]["object"]["paid"]  # gone from invoices since API version 2025-03-31
    deliver(invoice)
    account = BillingAccount.objects.get(tenant=alpha)
    mirrored = Customer.objects.get(id=customer_of(alpha))

    account_page = admin_client.get(f"/admin/billing/billingaccount/{account.pk}/change/")
    customers = admin_client.get("/admin/djstripe/customer/")
    customer_page = admin_client.get(f"/admin/djstripe/customer/{mirrored.djstripe_id}/change/")
    subscriptions = admin_client.get("/admin/djstripe/subscription/")
    invoices = admin_client.get("/admin/djstripe/invoice/", {"customer": customer_of(alpha)})
    events = admin_client.get("/admin/djstripe/event/")

    assert account_page.status_code == 200
    assert f"/admin/djstripe/customer/{mirrored.djstripe_id}/change/" in account_page.text
    assert customers.status_code == 200 and alpha.name in customers.text
    assert customer_page.status_code == 200 and "sub_test_1" in customer_page.text
    assert subscriptions.status_code == 200 and "sub_test_1" in subscriptions.text
    assert invoices.status_code == 200 and "228BBE4A-0001" in invoices.text
    assert events.status_code == 200 and "customer.subscription.created" in events.text
