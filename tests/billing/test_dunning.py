"""Dunning: a failed payment, the grace period, suspension by the beat task and reactivation by a
later payment; the super-admin's suspension stands; the "trial ends in 3 days" reminder."""

import time
from datetime import timedelta

from django.core import mail
from django.utils import timezone

from billing import tasks
from billing.models import BillingAccount, BillingSubscription, SubscriptionStatus
from inventory.models import Product
from tenants.lifecycle import tenant_suspend
from tenants.models import Tenant, TenantEvent
from tests.billing.conftest import (
    customer_of,
    deliver,
    invoice_paid,
    invoice_payment_failed,
    subscription_event,
)
from tests.billing.test_webhooks import fresh
from tests.conftest import in_schema

Status = Tenant.Status


def test_payment_failure_runs_through_grace_to_suspension_and_back_to_active(stripe_http, linked, emails_now):
    alpha = linked.alpha
    with in_schema(alpha):
        Product.objects.create(sku="DUN-1", name="Still here after suspension", sale_price=10)
    now = int(time.time())
    deliver(
        subscription_event("customer.subscription.created", customer=customer_of(alpha), created=now - 300)
    )
    deliver(
        invoice_payment_failed(customer=customer_of(alpha), subscription_id="sub_test_1", created=now - 200)
    )
    grace_until = BillingAccount.objects.get(tenant=alpha).grace_until

    # During the grace period the task leaves the workspace alone.
    assert tasks.suspend_overdue_workspaces((grace_until - timedelta(minutes=1)).isoformat()) == []
    assert fresh(alpha).status == Status.ACTIVE

    # After it, the workspace is suspended, once.
    after = (grace_until + timedelta(minutes=1)).isoformat()
    assert tasks.suspend_overdue_workspaces(after) == ["alpha"]
    assert tasks.suspend_overdue_workspaces(after) == []
    assert fresh(alpha).status == Status.SUSPENDED
    suspension = TenantEvent.objects.get(tenant=alpha, action=TenantEvent.Action.SUSPENDED)
    assert suspension.data == {"from": Status.ACTIVE, "to": Status.SUSPENDED, "reason": "payment_overdue"}

    # A later successful payment brings it back as it was.
    with emails_now():
        deliver(invoice_paid(customer=customer_of(alpha), subscription_id="sub_test_1", created=now - 100))

    tenant = fresh(alpha)
    assert tenant.status == Status.ACTIVE
    assert BillingSubscription.objects.get().status == SubscriptionStatus.ACTIVE
    assert BillingAccount.objects.get(tenant=alpha).grace_until is None
    assert TenantEvent.objects.filter(tenant=alpha, action=TenantEvent.Action.REACTIVATED).exists()
    with in_schema(alpha):
        assert Product.objects.filter(sku="DUN-1").exists()
    assert any(
        message.subject in ("Payment received for Alpha SRL", "Pago recibido: Alpha SRL")
        for message in mail.outbox
    )


def test_suspension_task_skips_workspaces_that_paid_meanwhile(stripe_http, linked):
    alpha = linked.alpha
    now = int(time.time())
    deliver(
        subscription_event("customer.subscription.created", customer=customer_of(alpha), created=now - 300)
    )
    deliver(
        invoice_payment_failed(customer=customer_of(alpha), subscription_id="sub_test_1", created=now - 200)
    )
    deliver(invoice_paid(customer=customer_of(alpha), subscription_id="sub_test_1", created=now - 100))

    later = (timezone.now() + timedelta(days=30)).isoformat()
    assert tasks.suspend_overdue_workspaces(later) == []
    assert fresh(alpha).status == Status.ACTIVE


def test_a_payment_does_not_undo_the_super_admins_suspension(stripe_http, linked):
    alpha = linked.alpha
    deliver(subscription_event("customer.subscription.created", customer=customer_of(alpha)))
    tenant_suspend(tenant=fresh(alpha), actor_email="root@platform.test", reason="abuse")

    deliver(invoice_paid(customer=customer_of(alpha), subscription_id="sub_test_1"))
    deliver(
        subscription_event("customer.subscription.deleted", customer=customer_of(alpha), status="canceled")
    )

    assert fresh(alpha).status == Status.SUSPENDED


def test_a_cancellation_after_billing_suspended_leaves_it_read_only(stripe_http, linked):
    alpha = linked.alpha
    now = int(time.time())
    deliver(
        subscription_event("customer.subscription.created", customer=customer_of(alpha), created=now - 300)
    )
    deliver(
        invoice_payment_failed(customer=customer_of(alpha), subscription_id="sub_test_1", created=now - 200)
    )
    grace_until = BillingAccount.objects.get(tenant=alpha).grace_until
    tasks.suspend_overdue_workspaces((grace_until + timedelta(hours=1)).isoformat())

    deliver(
        subscription_event(
            "customer.subscription.deleted", customer=customer_of(alpha), status="canceled", created=now - 100
        )
    )

    assert fresh(alpha).status == Status.TRIAL_EXPIRED  # read-only: the data can be seen again


def test_trial_reminder_is_sent_once_per_trial_end_in_the_workspace_language(linked, emails_now):
    alpha, beta = linked.alpha, linked.beta
    soon = timezone.now() + timedelta(days=2, hours=20)
    Tenant.objects.filter(pk=alpha.pk).update(status=Status.TRIAL, trial_ends_at=soon)
    Tenant.objects.filter(pk=beta.pk).update(
        status=Status.TRIAL, trial_ends_at=soon, language="en", email="owner@beta.test"
    )
    mail.outbox.clear()

    with emails_now():
        first = tasks.send_trial_reminders()
    with emails_now():
        second = tasks.send_trial_reminders()

    assert {"alpha", "beta"} <= set(first)
    assert "alpha" not in second and "beta" not in second
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects[alpha.email] in (
        "The trial of Alpha SRL ends in 3 days",
        "La prueba de Alpha SRL termina en 3 días",
    )
    alpha_message = next(message for message in mail.outbox if message.to == [alpha.email])
    assert " de 20" in alpha_message.body  # the date in Spanish: "24 de noviembre de 2026"
    assert subjects["owner@beta.test"] == "The trial of Beta SRL ends in 3 days"
    beta_message = next(message for message in mail.outbox if message.to == ["owner@beta.test"])
    assert "Choose a plan" in beta_message.body
    assert "http://beta.localhost/billing/" in beta_message.body


def test_trial_reminder_skips_trials_that_end_later(linked, emails_now):
    Tenant.objects.filter(pk=linked.alpha.pk).update(
        status=Status.TRIAL, trial_ends_at=timezone.now() + timedelta(days=5)
    )
    mail.outbox.clear()

    with emails_now():
        sent = tasks.send_trial_reminders()

    assert "alpha" not in sent
    assert not [message for message in mail.outbox if message.to == [linked.alpha.email]]


def test_billing_email_task_runs_in_a_real_worker(celery_worker_process, workspaces):
    context = {
        "currency": "ARS",
        "amount_due": "89000.00",
        "number": "F-0002",
        "hosted_invoice_url": "https://invoice.stripe.com/i/test",
        "invoice_pdf": "",
        "grace_until": (timezone.now() + timedelta(days=7)).isoformat(),
    }

    sent_to = tasks.send_billing_email.delay(workspaces.alpha.pk, "payment_failed", context).get(timeout=30)

    assert sent_to == workspaces.alpha.email
