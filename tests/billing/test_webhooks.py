"""The Stripe webhook on the bare domain: signatures, every handled event, once-only processing,
order, and isolation between workspaces. Payloads are Stripe's (see tests/billing/conftest.py)."""

import json
import threading
import time
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import Client
from djstripe.models import Account, APIKey, Customer, Price, Subscription, SubscriptionItem
from djstripe.models import Event as DjstripeEvent
from djstripe.models import Product as DjstripeProduct
from djstripe.signals import WEBHOOK_SIGNALS

from billing.models import BillingAccount, BillingSubscription, StripeEvent, SubscriptionStatus
from inventory.models import Product
from plans.models import Plan
from tenants.models import Tenant, TenantEvent
from tests.billing.conftest import (
    PRICES,
    SECRET_KEY,
    checkout_completed,
    customer_of,
    deliver,
    invoice_paid,
    invoice_payment_failed,
    load,
    sign,
    subscription_deleted_payrails,
    subscription_event,
    subscription_object,
    subscription_updated_payrails,
)
from tests.conftest import in_schema
from tests.team.test_team import owner_of, signed_in

Status = Tenant.Status
MIRROR_MODELS = [
    DjstripeEvent,
    SubscriptionItem,
    Subscription,
    Price,
    DjstripeProduct,
    Customer,
    APIKey,
    Account,
]
BASICO_MONTH = PRICES[("basico", "ARS", "month")]
PROFESIONAL_MONTH = PRICES[("profesional", "ARS", "month")]


def fresh(tenant: Tenant) -> Tenant:
    return Tenant.objects.select_related("plan").get(pk=tenant.pk)


def subscription(subscription_id: str = "sub_test_1") -> BillingSubscription:
    return BillingSubscription.objects.get(stripe_subscription_id=subscription_id)


def nothing_stored():
    return not StripeEvent.objects.exists() and not BillingSubscription.objects.exists()


# --- Signatures ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        pytest.param(lambda body: sign(body, secret="whsec_someone_else"), id="other-secret"),
        pytest.param(lambda body: sign(body + " "), id="tampered-body"),
        pytest.param(lambda body: sign(body).replace("v1=", "v0="), id="no-v1-scheme"),
        pytest.param(lambda body: "garbage", id="garbage"),
        pytest.param(lambda body: None, id="missing"),
    ],
)
def test_bad_signature_gets_400_and_nothing_is_stored(stripe_http, linked, header):
    alpha = linked.alpha
    event = subscription_event("customer.subscription.created", customer=customer_of(alpha))
    body = json.dumps(event)
    extra = {} if header(body) is None else {"HTTP_STRIPE_SIGNATURE": header(body)}

    response = Client(HTTP_HOST=settings.BASE_DOMAIN).post(
        "/stripe/webhook/", data=body, content_type="application/json", **extra
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_signature"
    assert nothing_stored()
    assert fresh(alpha).status == Status.TRIAL


def test_stale_signature_gets_400_and_a_recent_one_is_accepted(stripe_http, linked):
    alpha = linked.alpha
    event = subscription_event("customer.subscription.created", customer=customer_of(alpha))

    stale = deliver(event, at=int(time.time()) - 301)
    assert stale.status_code == 400
    assert nothing_stored()

    recent = deliver(event, at=int(time.time()) - 240)  # within Stripe's 5 minutes
    assert recent.status_code == 200
    assert StripeEvent.objects.filter(event_id=event["id"]).exists()


def test_webhook_refuses_everything_without_a_secret(stripe_http, linked, settings):
    settings.DJSTRIPE_WEBHOOK_SECRET = ""
    event = subscription_event("customer.subscription.created", customer=customer_of(linked.alpha))

    assert deliver(event, secret="").status_code == 400
    assert nothing_stored()


def test_webhook_answers_only_on_the_bare_domain(stripe_http, linked, client_for):
    event = subscription_event("customer.subscription.created", customer=customer_of(linked.alpha))

    response = deliver(event, client=client_for(linked.alpha))

    assert response.status_code in (302, 403, 404)  # the workspace's site, not the webhook
    assert nothing_stored()


def test_a_signed_body_that_is_not_an_event_gets_400(stripe_http, linked):
    body = json.dumps({"object": "customer", "id": "cus_x"})
    response = Client(HTTP_HOST=settings.BASE_DOMAIN).post(
        "/stripe/webhook/", data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=sign(body)
    )
    assert response.status_code == 400
    assert nothing_stored()


# --- Each event ------------------------------------------------------------------------------------


def test_checkout_completed_links_the_subscription_read_from_stripe(stripe_http, linked):
    alpha = linked.alpha
    stripe_http.answer(
        "GET",
        "/v1/subscriptions/sub_1LNkeSKXBGcbgpbZ7jMqOPSi",
        subscription_object(customer=customer_of(alpha), subscription_id="sub_1LNkeSKXBGcbgpbZ7jMqOPSi"),
    )

    response = deliver(
        checkout_completed(customer=customer_of(alpha), subscription_id="sub_1LNkeSKXBGcbgpbZ7jMqOPSi")
    )

    assert response.status_code == 200
    (call,) = stripe_http.calls("GET", "/v1/subscriptions/sub_1LNkeSKXBGcbgpbZ7jMqOPSi")
    assert call.headers["Authorization"] == f"Bearer {SECRET_KEY}"
    assert call.headers["Stripe-Version"] == settings.STRIPE_API_VERSION
    linked_subscription = subscription("sub_1LNkeSKXBGcbgpbZ7jMqOPSi")
    assert linked_subscription.account.tenant_id == alpha.pk
    assert linked_subscription.status == SubscriptionStatus.ACTIVE
    assert BillingAccount.objects.get(tenant=alpha).subscription == linked_subscription
    assert fresh(alpha).status == Status.ACTIVE
    assert fresh(alpha).plan.code == "profesional"


def test_checkout_completed_links_a_new_customer_to_the_workspace_it_was_opened_for(stripe_http, linked):
    beta = linked.beta
    BillingAccount.objects.filter(tenant=beta).update(stripe_customer_id=None)
    stripe_http.answer(
        "GET",
        "/v1/subscriptions/sub_beta",
        subscription_object(customer="cus_brand_new", subscription_id="sub_beta"),
    )

    deliver(checkout_completed(customer="cus_brand_new", subscription_id="sub_beta", tenant_id=beta.pk))

    assert BillingAccount.objects.get(tenant=beta).stripe_customer_id == "cus_brand_new"
    assert subscription("sub_beta").account.tenant_id == beta.pk
    assert fresh(beta).status == Status.ACTIVE


def test_checkout_completed_of_the_djstripe_fixture_without_subscription_only_links(stripe_http, linked):
    event = load("djstripe__checkout.session.completed__FAKE_EVENT_SESSION_COMPLETED.json")
    event["created"] = int(time.time())
    event["data"]["object"]["customer"] = customer_of(linked.alpha)

    assert deliver(event).status_code == 200

    assert StripeEvent.objects.get(event_id=event["id"]).outcome == StripeEvent.Outcome.APPLIED
    assert not [request for request in stripe_http.requests if "/subscriptions/" in request.path]
    assert Customer.objects.get(id=customer_of(linked.alpha)).subscriber_id == linked.alpha.pk
    assert fresh(linked.alpha).status == Status.TRIAL


def test_subscription_created_syncs_plan_amount_and_status(stripe_http, linked):
    alpha = linked.alpha
    Tenant.objects.filter(pk=alpha.pk).update(plan=Plan.objects.get(code="enterprise"))
    trial_end = int(time.time()) + 10 * 86400

    deliver(
        subscription_event(
            "customer.subscription.created",
            customer=customer_of(alpha),
            price_id=BASICO_MONTH,
            unit_amount=3_900_000,
            status="trialing",
            trial_end=trial_end,
        )
    )

    row = subscription()
    assert (row.status, row.currency, row.amount, row.monthly_amount) == (
        "trialing",
        "ARS",
        Decimal("39000.00"),
        Decimal("39000.00"),
    )
    assert row.plan.code == "basico"
    assert int(row.trial_end.timestamp()) == trial_end
    tenant = fresh(alpha)
    assert tenant.plan.code == "basico"
    assert tenant.status == Status.ACTIVE  # a subscriber, even while Stripe's trial runs
    assert TenantEvent.objects.filter(tenant=alpha, data__to=Status.ACTIVE, data__from=Status.TRIAL).exists()
    assert TenantEvent.objects.filter(tenant=alpha, action=TenantEvent.Action.PLAN_CHANGED).exists()


def test_subscription_updated_changes_the_plan(stripe_http, linked):
    alpha = linked.alpha
    deliver(
        subscription_event(
            "customer.subscription.created", customer=customer_of(alpha), price_id=BASICO_MONTH
        )
    )

    deliver(
        subscription_updated_payrails(
            customer=customer_of(alpha),
            subscription_id="sub_test_1",
            price_id=PROFESIONAL_MONTH,
            status="active",
        )
    )

    row = subscription()
    assert row.plan.code == "profesional"
    assert row.stripe_price_id == PROFESIONAL_MONTH
    assert row.amount == Decimal("6.00")  # pay's fixture: 2 x 300 cents
    assert row.current_period_end is not None  # read from the items (2025+ shape)
    assert fresh(alpha).plan.code == "profesional"


@pytest.mark.parametrize("event_type", ["invoice.paid", "invoice.payment_succeeded"])
def test_a_paid_invoice_makes_the_workspace_active(stripe_http, linked, emails_now, event_type):
    alpha = linked.alpha
    deliver(
        subscription_event("customer.subscription.created", customer=customer_of(alpha), status="past_due")
    )
    Tenant.objects.filter(pk=alpha.pk).update(status=Status.TRIAL_EXPIRED)
    mail.outbox.clear()

    with emails_now():
        response = deliver(
            invoice_paid(customer=customer_of(alpha), subscription_id="sub_test_1", event_type=event_type)
        )

    assert response.status_code == 200
    assert subscription().status == SubscriptionStatus.ACTIVE
    assert BillingAccount.objects.get(tenant=alpha).grace_until is None
    assert fresh(alpha).status == Status.ACTIVE
    receipts = [
        m for m in mail.outbox if m.subject in ("Payment received for Alpha SRL", "Pago recibido: Alpha SRL")
    ]
    # One receipt per invoice: invoice.paid sends it, payment_succeeded (sent with it) does not.
    assert len(receipts) == (1 if event_type == "invoice.paid" else 0)


def test_payment_failed_marks_past_due_emails_the_owner_and_starts_the_grace(stripe_http, linked, emails_now):
    alpha = linked.alpha
    deliver(subscription_event("customer.subscription.created", customer=customer_of(alpha)))
    mail.outbox.clear()

    with emails_now():
        deliver(invoice_payment_failed(customer=customer_of(alpha), subscription_id="sub_test_1"))

    assert subscription().status == SubscriptionStatus.PAST_DUE
    account = BillingAccount.objects.get(tenant=alpha)
    assert account.grace_until is not None
    assert 6.9 < (account.grace_until - subscription().updated_at).total_seconds() / 86400 <= 7.01
    assert fresh(alpha).status == Status.ACTIVE  # usable during the grace period
    (message,) = mail.outbox
    assert message.to == [alpha.email]
    assert message.subject in ("Payment failed for Alpha SRL", "Pago fallido: Alpha SRL")
    assert " de 20" in message.body  # the grace date, written in Spanish (alpha's language)
    assert "http://alpha.localhost/billing/" in message.body
    assert "https://invoice.stripe.com/" in message.body
    assert message.alternatives and "text/html" == message.alternatives[0][1]


def test_subscription_deleted_makes_the_workspace_read_only_and_keeps_its_data(
    stripe_http, linked, emails_now, client_for
):
    alpha = linked.alpha
    with in_schema(alpha):
        Product.objects.create(sku="KEEP-1", name="Kept after cancelling", sale_price=10)
    deliver(subscription_event("customer.subscription.created", customer=customer_of(alpha)))
    assert fresh(alpha).status == Status.ACTIVE
    mail.outbox.clear()

    with emails_now():
        deliver(
            subscription_event(
                "customer.subscription.deleted", customer=customer_of(alpha), status="canceled"
            )
        )

    assert subscription().status == SubscriptionStatus.CANCELED
    tenant = fresh(alpha)
    assert tenant.status == Status.TRIAL_EXPIRED  # read-only
    assert TenantEvent.objects.filter(tenant=alpha, data__to=Status.TRIAL_EXPIRED).exists()
    (message,) = mail.outbox
    assert "cancel" in message.subject.lower()
    with in_schema(alpha):
        assert Product.objects.filter(sku="KEEP-1").exists()
    client = signed_in(client_for, tenant, owner_of(tenant))
    assert client.post("/", {"anything": "1"}).status_code == 403


def test_pay_rails_subscription_deleted_payload_cancels_too(stripe_http, linked):
    alpha = linked.alpha
    deliver(subscription_event("customer.subscription.created", customer=customer_of(alpha)))

    deliver(subscription_deleted_payrails(customer=customer_of(alpha), subscription_id="sub_test_1"))

    assert subscription().status == SubscriptionStatus.CANCELED
    assert subscription().ended_at is not None
    assert fresh(alpha).status == Status.TRIAL_EXPIRED


def test_an_unhandled_event_is_recorded_and_answered_200(stripe_http, linked):
    event = load("djstripe__invoice.created__FAKE_EVENT_INVOICE_CREATED.json")

    assert deliver(event).status_code == 200

    assert StripeEvent.objects.get(event_id=event["id"]).outcome == StripeEvent.Outcome.IGNORED
    assert fresh(linked.alpha).status == Status.TRIAL


def test_an_event_from_the_other_mode_is_not_applied(stripe_http, linked):
    event = subscription_event("customer.subscription.created", customer=customer_of(linked.alpha))
    event["livemode"] = True

    assert deliver(event).status_code == 200

    assert StripeEvent.objects.get(event_id=event["id"]).outcome == StripeEvent.Outcome.IGNORED
    assert not BillingSubscription.objects.exists()


# --- Once, and in order ----------------------------------------------------------------------------


def test_the_same_event_twice_is_processed_once(stripe_http, linked, emails_now):
    alpha = linked.alpha
    deliver(subscription_event("customer.subscription.created", customer=customer_of(alpha)))
    failed = invoice_payment_failed(customer=customer_of(alpha), subscription_id="sub_test_1")
    mail.outbox.clear()

    with emails_now():
        first = deliver(failed)
        grace = BillingAccount.objects.get(tenant=alpha).grace_until
        second = deliver(failed)

    assert first.status_code == second.status_code == 200
    assert first.json()["duplicate"] is False
    assert second.json()["duplicate"] is True
    assert StripeEvent.objects.filter(event_id=failed["id"]).count() == 1
    assert len(mail.outbox) == 1  # one email, not two
    assert BillingAccount.objects.get(tenant=alpha).grace_until == grace


def test_updated_before_created_keeps_the_newer_state(stripe_http, linked):
    alpha = linked.alpha
    now = int(time.time())
    customer = customer_of(alpha)
    created = subscription_event(
        "customer.subscription.created", customer=customer, price_id=BASICO_MONTH, status="trialing",
        trial_end=now + 5 * 86400, created=now - 60,
    )  # fmt: skip
    updated = subscription_event(
        "customer.subscription.updated", customer=customer, price_id=PROFESIONAL_MONTH, status="active",
        created=now,
    )  # fmt: skip

    deliver(updated)
    deliver(created)  # arrives late

    row = subscription()
    assert (row.status, row.plan.code) == ("active", "profesional")
    assert StripeEvent.objects.get(event_id=created["id"]).outcome == StripeEvent.Outcome.STALE
    assert fresh(alpha).plan.code == "profesional"


def test_a_late_payment_failure_never_undoes_a_later_payment(stripe_http, linked):
    alpha = linked.alpha
    now = int(time.time())
    deliver(
        subscription_event("customer.subscription.created", customer=customer_of(alpha), created=now - 120)
    )
    failed = invoice_payment_failed(
        customer=customer_of(alpha), subscription_id="sub_test_1", created=now - 60
    )
    paid = invoice_paid(customer=customer_of(alpha), subscription_id="sub_test_1", created=now)

    deliver(paid)
    deliver(failed)  # older, delivered after

    assert subscription().status == SubscriptionStatus.ACTIVE
    assert BillingAccount.objects.get(tenant=alpha).grace_until is None
    assert StripeEvent.objects.get(event_id=failed["id"]).outcome == StripeEvent.Outcome.STALE


def test_an_invoice_event_never_hides_a_later_plan_change(stripe_http, linked):
    alpha = linked.alpha
    now = int(time.time())
    deliver(
        subscription_event("customer.subscription.created", customer=customer_of(alpha), created=now - 120)
    )
    plan_change = subscription_event(
        "customer.subscription.updated", customer=customer_of(alpha), price_id=BASICO_MONTH, created=now - 60
    )

    deliver(invoice_paid(customer=customer_of(alpha), subscription_id="sub_test_1", created=now))
    deliver(plan_change)  # older than the invoice event, but about something else

    assert subscription().plan.code == "basico"
    assert fresh(alpha).plan.code == "basico"


# --- Isolation -----------------------------------------------------------------------------------


def test_an_event_for_alpha_customer_never_touches_beta(stripe_http, linked):
    alpha, beta = linked.alpha, linked.beta
    beta_before = fresh(beta)
    event = subscription_event(
        "customer.subscription.created", customer=customer_of(alpha), price_id=BASICO_MONTH
    )
    event["data"]["object"]["metadata"] = {"tenant_id": str(beta.pk)}  # even if it claimed beta

    deliver(event)
    deliver(invoice_payment_failed(customer=customer_of(alpha), subscription_id="sub_test_1"))

    assert subscription().account.tenant_id == alpha.pk
    assert fresh(alpha).plan.code == "basico"
    beta_after = fresh(beta)
    assert (beta_after.status, beta_after.plan_id) == (beta_before.status, beta_before.plan_id)
    assert BillingAccount.objects.get(tenant=beta).subscription is None
    assert BillingAccount.objects.get(tenant=beta).grace_until is None
    assert not TenantEvent.objects.filter(tenant=beta).exists()


def test_a_subscription_of_alpha_cannot_be_moved_to_beta_by_a_later_event(stripe_http, linked):
    alpha, beta = linked.alpha, linked.beta
    deliver(subscription_event("customer.subscription.created", customer=customer_of(alpha)))

    response = deliver(
        subscription_event("customer.subscription.deleted", customer=customer_of(beta), status="canceled")
    )

    assert response.status_code == 200
    assert subscription().account.tenant_id == alpha.pk
    assert subscription().status == SubscriptionStatus.ACTIVE
    assert fresh(beta).status == Status.TRIAL
    assert fresh(alpha).status == Status.ACTIVE


def test_an_unknown_customer_changes_nothing(stripe_http, linked):
    event = subscription_event("customer.subscription.created", customer="cus_nobody_we_know")

    assert deliver(event).status_code == 200

    assert StripeEvent.objects.get(event_id=event["id"]).outcome == StripeEvent.Outcome.UNMATCHED
    assert not BillingSubscription.objects.exists()
    assert not TenantEvent.objects.exists()


# --- Two deliveries at once (committed data, two connections) --------------------------------------


@pytest.fixture
def committed_billing(workspaces, committed):
    """beta with a Stripe customer and prices, committed; everything billing wrote is removed after."""
    from billing.models import PlanStripePrice

    beta = workspaces.beta
    before = Tenant.objects.filter(pk=beta.pk).values("status", "plan_id", "trial_ends_at").get()
    price = PlanStripePrice.objects.create(
        plan=Plan.objects.get(code="basico"),
        currency="ARS",
        interval="month",
        stripe_price_id="price_race_basico",
    )
    account = BillingAccount.objects.create(tenant=beta, stripe_customer_id="cus_race_beta")
    started = TenantEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    mirror_before = {model: set(model.objects.values_list("pk", flat=True)) for model in MIRROR_MODELS}
    yield beta
    for model in MIRROR_MODELS:  # what the deliveries mirrored, in dependency order
        model.objects.exclude(pk__in=mirror_before[model]).delete()
    StripeEvent.objects.filter(account=account).delete()
    StripeEvent.objects.filter(event_id__startswith="evt_race").delete()
    BillingAccount.objects.filter(pk=account.pk).update(subscription=None)
    BillingSubscription.objects.filter(account=account).delete()
    account.delete()
    price.delete()
    TenantEvent.objects.filter(tenant=beta, id__gt=started).delete()
    Tenant.objects.filter(pk=beta.pk).update(**before)


def test_two_deliveries_at_once_are_processed_once(stripe_http, committed_billing, request):
    beta = committed_billing
    event = subscription_event(
        "customer.subscription.created",
        customer="cus_race_beta",
        subscription_id="sub_race",
        price_id="price_race_basico",
        event_id="evt_race_1",
    )
    applied = []

    def slow_receiver(sender, event, **kwargs):
        applied.append(threading.get_ident())
        time.sleep(0.5)  # hold the transaction open while the other delivery arrives

    signal = WEBHOOK_SIGNALS["customer.subscription.created"]
    signal.connect(slow_receiver, sender=DjstripeEvent, dispatch_uid="test.slow")
    request.addfinalizer(lambda: signal.disconnect(sender=DjstripeEvent, dispatch_uid="test.slow"))
    start = threading.Barrier(2)
    responses = []

    def post():
        try:
            start.wait()
            responses.append(deliver(event))
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(response.status_code for response in responses) == [200, 200]
    assert sorted(response.json()["duplicate"] for response in responses) == [False, True]
    assert len(applied) == 1
    assert StripeEvent.objects.filter(event_id="evt_race_1").count() == 1
    assert BillingSubscription.objects.filter(stripe_subscription_id="sub_race").count() == 1
    assert fresh(beta).status == Status.ACTIVE
    assert TenantEvent.objects.filter(tenant=beta, data__to=Status.ACTIVE).count() == 1
