"""The owner's billing page: manual mode, who may see it, what it shows, Checkout (with the trial
carried over), the customer portal, the downgrade refusal; and the platform's MRR and churn."""

import re
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from djstripe.models import Customer

from accounts.models import User
from billing.models import BillingAccount, BillingSubscription
from billing.selectors import subscription_churn, subscription_mrr
from billing.services import billing_subscription_cancel
from inventory.models import Location
from plans.models import Plan
from tenants.models import Tenant
from tests.billing.conftest import (
    PRICES,
    SECRET_KEY,
    customer_of,
    deliver,
    invoice_paid,
    load,
    subscription_event,
)
from tests.conftest import in_schema
from tests.team.test_team import member, owner_of, signed_in

Status = Tenant.Status
CHECKOUT_URL = (
    "https://checkout.stripe.com/c/pay/cs_test_a1UejXx8ebIdTzFolicVypUAZpOBVkoQKDbaarXoPlPVtj8p0zujPEEhjT"
)
PORTAL_URL = "https://billing.stripe.com/p/session/test_YWNjdF8xRTRi"


def owner_client(client_for, tenant):
    return signed_in(client_for, tenant, owner_of(tenant))


def checkout_session_body() -> dict:
    """Stripe's example checkout.session (openapi fixtures3), with the URL Checkout serves."""
    session = load("stripe-openapi__fixtures3_subset.json")["checkout.session"]
    return {**session, "url": CHECKOUT_URL, "mode": "subscription"}


def customer_body(customer_id: str) -> dict:
    return {
        "id": customer_id,
        "object": "customer",
        "created": int(time.time()),
        "email": "owner@alpha.test",
        "livemode": False,
        "metadata": {},
        "invoice_settings": {"default_payment_method": None},
    }


def test_manual_mode_says_the_platform_invoices_by_hand_and_offers_to_request_a_plan(
    manual_mode, client_for, workspaces
):
    response = owner_client(client_for, workspaces.alpha).get("/billing/")

    assert response.status_code == 200
    assert "The platform invoices this workspace by hand" in response.text
    assert workspaces.alpha.plan.name in response.text
    assert 'action="/billing/request/"' in response.text
    assert "Request this plan" in response.text
    assert "mailto:" not in response.text  # never an address to write to
    assert 'action="/billing/checkout/"' not in response.text
    assert "Manage payment method" not in response.text


def test_manual_mode_refuses_checkout(manual_mode, client_for, workspaces):
    client = owner_client(client_for, workspaces.alpha)

    response = client.post("/billing/checkout/", {"plan": "basico", "interval": "month"}, follow=True)

    assert "Your plan is managed by the platform team" in response.text
    assert not BillingAccount.objects.filter(
        tenant=workspaces.alpha, stripe_customer_id__isnull=False
    ).exists()


@pytest.mark.parametrize("role", [User.Role.ADMIN, User.Role.STAFF])
def test_only_the_owner_reaches_billing(stripe_http, client_for, workspaces, role):
    with in_schema(workspaces.alpha):
        user = member(workspaces.alpha, role)
    client = signed_in(client_for, workspaces.alpha, user)

    assert client.get("/billing/").status_code == 403
    assert client.post("/billing/checkout/", {"plan": "basico", "interval": "month"}).status_code == 403
    assert client.post("/billing/portal/").status_code == 403
    assert not stripe_http.requests


def test_anonymous_visitors_are_sent_to_sign_in(stripe_http, client_for, workspaces):
    response = client_for(workspaces.alpha).get("/billing/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def invoice_for(customer: str, *, invoice_id: str = "in_1RFFohKXBGcbgpbZk9MxzDMc", number: str | None = None):
    """pay-rails' paid invoice, outside any subscription, for ``customer``."""
    event = invoice_paid(customer=customer, subscription_id=None)
    obj = event["data"]["object"]
    obj["id"] = invoice_id
    if number:
        obj["number"] = number
    return event


def test_page_shows_subscription_next_charge_and_invoices_of_this_workspace_only(
    stripe_http, linked, client_for
):
    alpha, beta = linked.alpha, linked.beta
    trial_end = int(time.time()) + 5 * 86400 - 3600  # 4 days 23 hours: shown as 5 days
    deliver(
        subscription_event(
            "customer.subscription.created",
            customer=customer_of(alpha),
            status="trialing",
            trial_end=trial_end,
        )
    )
    deliver(invoice_for(customer_of(alpha)))
    deliver(invoice_for(customer_of(beta), invoice_id="in_beta_1", number="BETA-0001"))
    stripe_http.requests.clear()

    response = owner_client(client_for, alpha).get("/billing/")

    assert response.status_code == 200
    assert "Trialing" in response.text
    assert "5 days left in the trial" in response.text
    # The next charge: the subscription's own price (ARS 89,000), on the trial's last day.
    assert re.search(r'billing-next-charge">[^<]*89[.,]000', response.text)
    assert "/pdf?s=db" in response.text  # the hosted invoice PDF link
    assert "https://invoice.stripe.com/" in response.text
    assert "228BBE4A-0001" in response.text
    assert "BETA-0001" not in response.text  # never another workspace's invoices
    assert not stripe_http.requests  # read from the mirror, not from Stripe


def test_invoices_show_while_stripe_is_down(stripe_http, linked, client_for):
    deliver(invoice_for(customer_of(linked.alpha)))
    stripe_http.requests.clear()
    for path in ("/v1/invoices", f"/v1/customers/{customer_of(linked.alpha)}"):
        stripe_http.answer("GET", path, {"error": {"type": "api_error", "message": "down"}}, status=500)

    response = owner_client(client_for, linked.alpha).get("/billing/")

    assert response.status_code == 200
    assert "228BBE4A-0001" in response.text
    assert not stripe_http.requests


def test_a_workspace_in_its_trial_is_offered_subscribe_and_pay(
    stripe_http, stripe_prices, client_for, workspaces
):
    response = owner_client(client_for, workspaces.alpha).get("/billing/")

    assert response.status_code == 200
    assert "Subscribe and pay monthly" in response.text
    assert 'action="/billing/checkout/"' in response.text
    assert 'action="/billing/request/"' not in response.text  # requests are for manual mode
    assert not stripe_http.requests


def test_choosing_a_plan_opens_checkout_with_the_rest_of_the_trial(
    stripe_http, stripe_prices, client_for, workspaces
):
    alpha = workspaces.alpha
    trial_ends_at = timezone.now() + timedelta(days=9)
    Tenant.objects.filter(pk=alpha.pk).update(status=Status.TRIAL, trial_ends_at=trial_ends_at)
    stripe_http.answer("POST", "/v1/customers", customer_body("cus_created_for_alpha"))
    stripe_http.answer("POST", "/v1/checkout/sessions", checkout_session_body())

    response = owner_client(client_for, alpha).post(
        "/billing/checkout/", {"plan": "profesional", "interval": "year"}
    )

    assert response.status_code == 303
    assert response["Location"] == CHECKOUT_URL
    (customer_call,) = stripe_http.calls("POST", "/v1/customers")
    assert customer_call.form["metadata[djstripe_subscriber]"] == [str(alpha.pk)]  # dj-stripe: the tenant
    assert customer_call.form["email"] == [alpha.email]
    assert "Idempotency-Key" in customer_call.headers
    (call,) = stripe_http.calls("POST", "/v1/checkout/sessions")
    assert call.form["mode"] == ["subscription"]
    assert call.form["customer"] == ["cus_created_for_alpha"]
    assert call.form["line_items[0][price]"] == [PRICES[("profesional", "ARS", "year")]]
    assert call.form["subscription_data[trial_end]"] == [str(int(trial_ends_at.timestamp()))]
    assert call.form["success_url"] == ["http://alpha.localhost/billing/?checkout=success"]
    assert call.form["client_reference_id"] == [str(alpha.pk)]
    assert BillingAccount.objects.get(tenant=alpha).stripe_customer_id == "cus_created_for_alpha"
    assert Customer.objects.get(id="cus_created_for_alpha").subscriber_id == alpha.pk


def test_checkout_without_trial_left_charges_at_once(stripe_http, stripe_prices, client_for, workspaces):
    alpha = workspaces.alpha
    Tenant.objects.filter(pk=alpha.pk).update(status=Status.TRIAL_EXPIRED)
    stripe_http.answer("POST", "/v1/customers", customer_body("cus_alpha_2"))
    stripe_http.answer("POST", "/v1/checkout/sessions", checkout_session_body())

    response = owner_client(client_for, alpha).post(
        "/billing/checkout/", {"plan": "basico", "interval": "month"}
    )

    assert response.status_code == 303  # a read-only workspace may still choose a plan
    (call,) = stripe_http.calls("POST", "/v1/checkout/sessions")
    assert "subscription_data[trial_end]" not in call.form


def test_a_plan_without_a_price_in_the_currency_falls_back_to_usd(stripe_http, linked, client_for):
    stripe_http.answer("POST", "/v1/checkout/sessions", checkout_session_body())

    owner_client(client_for, linked.alpha).post(
        "/billing/checkout/", {"plan": "enterprise", "interval": "month"}
    )

    (call,) = stripe_http.calls("POST", "/v1/checkout/sessions")
    assert call.form["line_items[0][price]"] == [PRICES[("enterprise", "USD", "month")]]


def test_changing_plan_with_a_subscription_opens_the_portal_to_confirm(stripe_http, linked, client_for):
    alpha = linked.alpha
    deliver(subscription_event("customer.subscription.created", customer=customer_of(alpha)))
    stripe_http.answer(
        "POST",
        "/v1/billing_portal/sessions",
        {"id": "bps_1", "object": "billing_portal.session", "url": PORTAL_URL},
    )
    response = owner_client(client_for, alpha).post(
        "/billing/checkout/", {"plan": "basico", "interval": "month"}
    )

    assert response.status_code == 303
    assert response["Location"] == PORTAL_URL
    assert not stripe_http.calls("POST", "/v1/checkout/sessions")  # no second subscription
    (call,) = stripe_http.calls("POST", "/v1/billing_portal/sessions")
    assert call.form["flow_data[type]"] == ["subscription_update_confirm"]
    assert call.form["flow_data[subscription_update_confirm][subscription]"] == ["sub_test_1"]
    assert call.form["flow_data[subscription_update_confirm][items][0][price]"] == [
        PRICES[("basico", "ARS", "month")]
    ]
    assert call.form["flow_data[subscription_update_confirm][items][0][id]"] == ["si_F5ukmkS6Bxi90Y"]


def test_a_downgrade_the_workspace_exceeds_is_refused_with_what_to_reduce(stripe_http, linked, client_for):
    alpha = linked.alpha
    with in_schema(alpha):
        for name in ("Depósito", "Sucursal Norte", "Sucursal Sur"):
            Location.objects.create(name=name)
        locations = Location.objects.filter(is_active=True).count()
    before = Tenant.objects.get(pk=alpha.pk).plan_id

    response = owner_client(client_for, alpha).post(
        "/billing/checkout/", {"plan": "basico", "interval": "month"}
    )

    assert response.status_code == 400
    assert "Reduce these first" in response.text
    assert f"{locations} locations, the plan allows 1: reduce by {locations - 1}." in response.text
    assert 'data-resource="locations"' in response.text
    assert 'data-resource="products"' not in response.text
    assert not [r for r in stripe_http.requests if r.method == "POST"]  # nothing asked of Stripe
    assert Tenant.objects.get(pk=alpha.pk).plan_id == before


def test_portal_opens_for_a_customer(stripe_http, linked, client_for):
    stripe_http.answer(
        "POST",
        "/v1/billing_portal/sessions",
        {"id": "bps_2", "object": "billing_portal.session", "url": PORTAL_URL},
    )

    response = owner_client(client_for, linked.alpha).post("/billing/portal/")

    assert response.status_code == 303
    assert response["Location"] == PORTAL_URL
    (call,) = stripe_http.calls("POST", "/v1/billing_portal/sessions")
    assert call.form["customer"] == [customer_of(linked.alpha)]
    assert call.form["return_url"] == ["http://alpha.localhost/billing/"]


def test_stripe_refusing_checkout_leaves_a_message_and_changes_nothing(stripe_http, linked, client_for):
    stripe_http.answer(
        "POST",
        "/v1/checkout/sessions",
        {"error": {"type": "invalid_request_error", "message": "No such price"}},
        status=400,
    )

    response = owner_client(client_for, linked.alpha).post(
        "/billing/checkout/", {"plan": "profesional", "interval": "month"}, follow=True
    )

    assert response.status_code == 200
    assert "Nothing was charged" in response.text
    assert not BillingSubscription.objects.exists()


# --- The platform's figures ------------------------------------------------------------------------


def test_mrr_and_churn_come_from_the_subscriptions(stripe_http, linked):
    alpha, beta = linked.alpha, linked.beta
    deliver(
        subscription_event(
            "customer.subscription.created", customer=customer_of(alpha),
            price_id=PRICES[("profesional", "ARS", "year")], unit_amount=120_000_000, interval="year",
        )
    )  # fmt: skip
    deliver(
        subscription_event(
            "customer.subscription.created", customer=customer_of(beta), subscription_id="sub_beta",
            price_id=PRICES[("basico", "ARS", "month")], unit_amount=3_000_000,
        )
    )  # fmt: skip
    lines, totals = subscription_mrr()

    assert totals == {"ARS": Decimal("130000.00")}  # 1,200,000 a year = 100,000 a month, + 30,000
    assert {(line.plan_name, line.mrr) for line in lines} == {
        (Plan.objects.get(code="profesional").name, Decimal("100000.00")),
        (Plan.objects.get(code="basico").name, Decimal("30000.00")),
    }
    # beta cancels; both had started 40 days ago, beta's ended yesterday (within the 30 days).
    deliver(
        subscription_event(
            "customer.subscription.deleted",
            customer=customer_of(beta),
            subscription_id="sub_beta",
            status="canceled",
        )
    )
    BillingSubscription.objects.update(started_at=timezone.now() - timedelta(days=40))
    BillingSubscription.objects.filter(stripe_subscription_id="sub_beta").update(
        ended_at=timezone.now() - timedelta(days=1)
    )

    churn = subscription_churn()

    assert (churn.paying_at_start, churn.ended, churn.percent) == (2, 1, 50.0)
    assert subscription_mrr()[1] == {"ARS": Decimal("100000.00")}


def test_trialing_subscriptions_are_not_revenue_yet(stripe_http, linked):
    deliver(
        subscription_event(
            "customer.subscription.created", customer=customer_of(linked.alpha), status="trialing",
            trial_end=int(time.time()) + 86400 * 5,
        )
    )  # fmt: skip

    assert subscription_mrr() == ([], {})


def test_another_workspaces_subscription_never_shows(stripe_http, linked, client_for):
    deliver(subscription_event("customer.subscription.created", customer=customer_of(linked.alpha)))
    deliver(invoice_for(customer_of(linked.alpha)))

    response = owner_client(client_for, linked.beta).get("/billing/")

    assert response.status_code == 200
    assert 'data-testid="billing-next-charge"' not in response.text
    assert "No invoices yet." in response.text


def test_closing_a_workspace_can_cancel_its_subscription_at_stripe(stripe_http, linked):
    deliver(subscription_event("customer.subscription.created", customer=customer_of(linked.alpha)))
    stripe_http.answer("DELETE", "/v1/subscriptions/sub_test_1", subscription_object_canceled())

    cancelled = billing_subscription_cancel(tenant=linked.alpha)

    assert cancelled.stripe_subscription_id == "sub_test_1"
    (call,) = stripe_http.calls("DELETE", "/v1/subscriptions/sub_test_1")
    assert call.headers["Authorization"] == f"Bearer {SECRET_KEY}"
    assert billing_subscription_cancel(tenant=linked.beta) is None  # nothing to cancel there


def subscription_object_canceled() -> dict:
    obj = load("djstripe__customer.subscription.deleted__FAKE_EVENT_CUSTOMER_SUBSCRIPTION_DELETED.json")
    return {**obj["data"]["object"], "id": "sub_test_1", "status": "canceled"}
