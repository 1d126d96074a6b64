"""Billing's background work: the owner's emails, the suspension of overdue workspaces and the
"trial ends in 3 days" reminders. All run in the public schema, take ids and are safe to run
twice."""

import logging
from datetime import datetime
from decimal import Decimal

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from billing.dunning import billing_suspend_overdue, trial_reminders_due
from core.money import format_money
from tenants.models import Tenant
from tenants.services import workspace_url

logger = logging.getLogger(__name__)

EMAIL_KINDS = frozenset({"trial_ending", "payment_failed", "subscription_cancelled", "payment_received"})


def _moment(now: datetime | str | None) -> datetime:
    if now is None:
        return timezone.now()
    if isinstance(now, str):
        return datetime.fromisoformat(now)
    return now


def _money(amount: str | None, currency: str, tenant: Tenant) -> str:
    if not amount or not currency:
        return ""
    return format_money(Decimal(amount), currency, tenant.language, tenant.country)


@shared_task
def send_billing_email(tenant_id: int, kind: str, context: dict) -> str:
    """Send the workspace's owner one billing email (HTML and text) in the workspace's language.

    ``context`` holds plain values (amounts as text, dates in ISO format, Stripe's invoice links):
    never card data.
    """
    if kind not in EMAIL_KINDS:
        raise ValueError(f"unknown billing email {kind!r}")
    tenant = Tenant.objects.filter(pk=tenant_id).first()
    if tenant is None or not tenant.email:
        return ""
    values = {
        "tenant": tenant,
        "billing_url": workspace_url(tenant, "/billing/"),
        "amount_paid": _money(context.get("amount_paid"), context.get("currency", ""), tenant),
        "amount_due": _money(context.get("amount_due"), context.get("currency", ""), tenant),
        "number": context.get("number", ""),
        "hosted_invoice_url": context.get("hosted_invoice_url", ""),
        "invoice_pdf": context.get("invoice_pdf", ""),
        "grace_until": _moment(context["grace_until"]) if context.get("grace_until") else None,
        "trial_ends_at": _moment(context["trial_ends_at"]) if context.get("trial_ends_at") else None,
        "subscribed": bool(context.get("subscribed")),
    }
    with translation.override(tenant.language), timezone.override(tenant.time_zone):
        subject = render_to_string(f"billing/email/{kind}_subject.txt", values).strip()
        text = render_to_string(f"billing/email/{kind}.txt", values)
        html = render_to_string(f"billing/email/{kind}.html", values)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [tenant.email])
    message.attach_alternative(html, "text/html")
    message.send()
    return tenant.email


@shared_task
def suspend_overdue_workspaces(now: datetime | str | None = None) -> list[str]:
    """Suspend the workspaces still unpaid after their grace period; safe to run twice."""
    return [tenant.slug for tenant in billing_suspend_overdue(now=_moment(now))]


@shared_task
def send_trial_reminders(now: datetime | str | None = None) -> list[str]:
    """Tell owners whose trial ends within 3 days; each trial end is told once."""
    with transaction.atomic():
        due = trial_reminders_due(now=_moment(now))
        for tenant, ends_at in due:
            context = {
                "trial_ends_at": ends_at.isoformat(),
                "subscribed": tenant.status == Tenant.Status.ACTIVE,
            }
            transaction.on_commit(
                lambda tenant_id=tenant.pk, context=context: send_billing_email.delay(
                    tenant_id, "trial_ending", context
                )
            )
    return [tenant.slug for tenant, _ in due]
