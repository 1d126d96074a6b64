"""The three defects measured against the running product (issue 16), each as the delivery that
showed it: Stripe read under a row lock, a cancellation undone by an update of the same second,
and a Checkout session of a workspace without a billing account left unlinked."""

import time

from django.db import connection

from billing.models import BillingAccount, BillingSubscription, StripeEvent, SubscriptionStatus
from tenants.models import Tenant
from tests.billing.conftest import (
    checkout_completed,
    customer_of,
    deliver,
    subscription_event,
    subscription_object,
)
from tests.billing.test_webhooks import fresh

Status = Tenant.Status
STRIPE_DOWN = {"error": {"type": "api_error", "message": "An unknown error occurred"}}


def test_checkout_completed_reads_stripe_outside_any_transaction(stripe_http, linked):
    alpha = linked.alpha
    stripe_http.answer(
        "GET",
        "/v1/subscriptions/sub_checkout_1",
        subscription_object(customer=customer_of(alpha), subscription_id="sub_checkout_1"),
    )
    baseline = len(connection.savepoint_ids)

    response = deliver(checkout_completed(customer=customer_of(alpha), subscription_id="sub_checkout_1"))

    assert response.status_code == 200
    calls = stripe_http.calls("GET", "/v1/subscriptions/sub_checkout_1")
    assert calls
    # Every call to Stripe was made before the product opened its transaction (no row locked).
    assert {request.savepoints for request in stripe_http.requests} == {baseline}
    assert (
        BillingSubscription.objects.get(stripe_subscription_id="sub_checkout_1").account.tenant_id == alpha.pk
    )
    assert fresh(alpha).status == Status.ACTIVE


def test_checkout_completed_with_stripe_down_gets_503_writes_nothing_and_the_retry_links(stripe_http, linked):
    beta = linked.beta
    BillingAccount.objects.filter(tenant=beta).update(stripe_customer_id=None)
    event = checkout_completed(customer="cus_beta_new", subscription_id="sub_beta_new", tenant_id=beta.pk)
    stripe_http.answer("GET", "/v1/subscriptions/sub_beta_new", STRIPE_DOWN, status=500)

    failed = deliver(event)

    assert failed.status_code == 503
    assert not StripeEvent.objects.filter(event_id=event["id"]).exists()
    assert BillingAccount.objects.get(tenant=beta).stripe_customer_id is None  # link not half-made
    assert not BillingSubscription.objects.exists()
    assert fresh(beta).status == Status.TRIAL

    stripe_http.answer(
        "GET",
        "/v1/subscriptions/sub_beta_new",
        subscription_object(customer="cus_beta_new", subscription_id="sub_beta_new"),
    )
    retried = deliver(event)  # Stripe's retry: the same event

    assert retried.status_code == 200
    assert retried.json()["duplicate"] is False
    assert BillingAccount.objects.get(tenant=beta).stripe_customer_id == "cus_beta_new"
    assert BillingSubscription.objects.get(stripe_subscription_id="sub_beta_new").account.tenant_id == beta.pk
    assert fresh(beta).status == Status.ACTIVE


def test_an_update_of_the_same_second_never_revives_a_cancelled_subscription(stripe_http, linked):
    alpha = linked.alpha
    now = int(time.time())
    customer = customer_of(alpha)
    deliver(subscription_event("customer.subscription.created", customer=customer, created=now - 60))
    deliver(
        subscription_event("customer.subscription.deleted", customer=customer, status="canceled", created=now)
    )
    assert fresh(alpha).status == Status.TRIAL_EXPIRED

    late = subscription_event(
        "customer.subscription.updated", customer=customer, status="active", created=now
    )
    assert deliver(late).status_code == 200

    assert (
        BillingSubscription.objects.get(stripe_subscription_id="sub_test_1").status
        == SubscriptionStatus.CANCELED
    )
    assert fresh(alpha).status == Status.TRIAL_EXPIRED  # still read-only


def test_checkout_of_a_workspace_without_billing_account_links_it(stripe_http, workspaces, stripe_prices):
    gamma = workspaces.gamma
    assert not BillingAccount.objects.filter(tenant=gamma).exists()
    stripe_http.answer(
        "GET",
        "/v1/subscriptions/sub_gamma",
        subscription_object(customer="cus_gamma_new", subscription_id="sub_gamma"),
    )
    event = checkout_completed(customer="cus_gamma_new", subscription_id="sub_gamma", tenant_id=gamma.pk)

    response = deliver(event)

    assert response.status_code == 200
    assert StripeEvent.objects.get(event_id=event["id"]).outcome == StripeEvent.Outcome.APPLIED
    account = BillingAccount.objects.get(tenant=gamma)
    assert account.stripe_customer_id == "cus_gamma_new"
    assert account.subscription.stripe_subscription_id == "sub_gamma"
    assert fresh(gamma).status == Status.ACTIVE


def test_checkout_naming_a_workspace_that_does_not_exist_stays_unmatched(stripe_http, db, workspaces):
    event = checkout_completed(customer="cus_ghost", subscription_id="sub_ghost", tenant_id=999_999)

    assert deliver(event).status_code == 200

    assert StripeEvent.objects.get(event_id=event["id"]).outcome == StripeEvent.Outcome.UNMATCHED
    assert not BillingAccount.objects.filter(stripe_customer_id="cus_ghost").exists()
