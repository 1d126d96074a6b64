"""Stripe webhook events: verified, read from Stripe, mirrored by dj-stripe, processed once.

- The signature is checked the way Stripe signs (``stripe.WebhookSignature``, 5-minute
  tolerance) before anything is read or stored.
- What the event is about is read from Stripe first, outside any transaction
  (``billing.mirror.snapshot_fetch``): when Stripe cannot be reached the delivery is answered
  503 with nothing written, and Stripe retries it.
- Then one transaction, in which no call to Stripe can be made (``network_refused``): the event
  id is inserted first (a repeated or racing delivery hits the primary key and is answered as a
  duplicate), the workspace's billing account is locked, dj-stripe's tables are synced from what
  was read, the event is stored in dj-stripe's Event table and dj-stripe's signal for its type is
  sent. Billing's receivers (below) decide the workspace's state from the subscription's
  *current* state as Stripe reported it, never from the order events arrive in: a read made
  before another one never replaces it, and a cancelled subscription stays cancelled.
- The workspace is found by its Stripe customer id only (our own metadata is a fallback for a
  customer not linked yet): an event for one workspace's customer never touches another's.
- Emails are sent by Celery after the transaction commits; nothing here logs payloads.
"""

import json
import logging
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django_tenants.utils import get_public_schema_name
from djstripe.models import Event as DjstripeEvent
from djstripe.models import Invoice as DjstripeInvoice
from djstripe.models import Subscription as DjstripeSubscription
from djstripe.signals import WEBHOOK_SIGNALS

from billing import mirror, tasks
from billing.dunning import billing_account_reconcile
from billing.exceptions import InvalidWebhook
from billing.models import (
    ENDED,
    OVERDUE,
    BillingAccount,
    BillingSubscription,
    StripeEvent,
    SubscriptionStatus,
)
from billing.selectors import plan_for_stripe_price
from billing.stripe_api import (
    WEBHOOK_TOLERANCE_SECONDS,
    billing_online,
    from_minor_units,
    from_timestamp,
    network_refused,
)
from tenants.models import Tenant

logger = logging.getLogger(__name__)

Outcome = StripeEvent.Outcome
# Stripe never brings a subscription back from these (a new subscription is made instead).
TERMINAL = (SubscriptionStatus.CANCELED, SubscriptionStatus.INCOMPLETE_EXPIRED)
# Metadata key our Checkout sessions and subscriptions carry (set server-side, signed by Stripe).
TENANT_METADATA_KEY = "tenant_id"
# The event types whose dj-stripe signal billing answers.
HANDLED_EVENTS = (
    *sorted(mirror.SUBSCRIPTION_EVENTS),
    "checkout.session.completed",
    "invoice.paid",
    "invoice.payment_succeeded",
    "invoice.payment_failed",
)


@dataclass(frozen=True)
class Receipt:
    event_id: str
    type: str
    outcome: str
    duplicate: bool = False


def stripe_webhook_receive(*, payload: bytes, signature: str | None) -> Receipt:
    """Verify one webhook delivery and process its event once.

    Raises InvalidWebhook, and StripeUnavailable when Stripe cannot be read (nothing written).
    """
    secret = settings.DJSTRIPE_WEBHOOK_SECRET
    if not secret:
        raise InvalidWebhook("webhooks are not configured")
    if not signature:
        raise InvalidWebhook("no Stripe-Signature header")
    try:
        text = payload.decode("utf-8")
        stripe.WebhookSignature.verify_header(text, signature, secret, WEBHOOK_TOLERANCE_SECONDS)
        event = json.loads(text)
    except (UnicodeDecodeError, ValueError, stripe.SignatureVerificationError) as error:
        raise InvalidWebhook(type(error).__name__) from error
    if (
        not isinstance(event, dict)
        or event.get("object") != "event"
        or not isinstance(event.get("id"), str)
        or not isinstance(event.get("type"), str)
        or not isinstance(event.get("created"), int)
        or not isinstance((event.get("data") or {}).get("object"), dict)
    ):
        raise InvalidWebhook("not a Stripe event")
    if StripeEvent.objects.filter(event_id=event["id"]).exists():
        return Receipt(event_id=event["id"], type=event["type"], outcome="", duplicate=True)
    snapshot = None
    if billing_online() and bool(event.get("livemode")) == settings.STRIPE_LIVE_MODE:
        obj = event["data"]["object"]
        customer_id = _customer_to_read(obj)
        subscription_id = mirror.subscription_id_for(event["type"], obj)
        if subscription_id is None and event["type"] in mirror.INVOICE_EVENTS and customer_id:
            # An invoice outside any subscription (a manual one) counts for the current one.
            subscription_id = (
                BillingSubscription.objects.filter(
                    account__stripe_customer_id=customer_id, account__subscription=F("pk")
                )
                .values_list("stripe_subscription_id", flat=True)
                .first()
            )
        snapshot = mirror.snapshot_fetch(
            event=event, customer_id=customer_id, subscription_id=subscription_id
        )
    return stripe_event_process(event=event, snapshot=snapshot)


def _customer_to_read(obj: dict) -> str | None:
    """The event's customer when a workspace has it, or when our metadata names a workspace
    that can take it (read-only: the transaction decides again, under the lock)."""
    customer_id = _id_of(obj.get("customer"))
    if obj.get("object") == "customer":
        customer_id = obj.get("id")
    if not customer_id:
        return None
    account = BillingAccount.objects.filter(stripe_customer_id=customer_id).values("pk").first()
    if account is not None:
        return customer_id
    hint = _metadata_tenant(obj)
    if hint and str(hint).isdigit():
        claimed = (
            BillingAccount.objects.filter(tenant_id=int(hint), stripe_customer_id__isnull=False)
            .exclude(stripe_customer_id=customer_id)
            .exists()
        )
        if not claimed and _linkable_tenants().filter(pk=int(hint)).exists():
            return customer_id
    return None


def _linkable_tenants():
    return Tenant.objects.exclude(status__in=(Tenant.Status.CLOSED, Tenant.Status.TEMPLATE)).exclude(
        schema_name=get_public_schema_name()
    )


def stripe_event_process(*, event: dict, snapshot: mirror.Snapshot | None) -> Receipt:
    """Apply one (verified) event unless it was already processed. ``snapshot``: what was read
    from Stripe for it beforehand (None: billing is manual or the event is of the other mode).
    Nothing here calls Stripe."""
    event_id, event_type = event["id"], event["type"]
    created = from_timestamp(event["created"])
    livemode = bool(event.get("livemode"))
    with transaction.atomic(durable=True), network_refused():
        try:
            with transaction.atomic():
                record = StripeEvent.objects.create(
                    event_id=event_id, type=event_type, created=created, livemode=livemode
                )
        except IntegrityError:
            # Processed already, or being processed by a racing delivery that has now committed.
            return Receipt(event_id=event_id, type=event_type, outcome="", duplicate=True)
        account, outcome = None, Outcome.IGNORED
        if livemode != settings.STRIPE_LIVE_MODE:
            logger.warning("stripe event %s ignored: livemode=%s", event_id, livemode)
        elif snapshot is not None:
            account, outcome = _process(event=event, snapshot=snapshot)
        record.account = account
        record.outcome = outcome
        record.save(update_fields=["account", "outcome"])
    logger.info("stripe event %s %s: %s", event_id, event_type, outcome)
    return Receipt(event_id=event_id, type=event_type, outcome=outcome)


def _process(*, event: dict, snapshot: mirror.Snapshot) -> tuple[BillingAccount | None, str]:
    obj = event["data"]["object"]
    account = None
    if snapshot.customer_id:
        account = _account_for(customer_id=snapshot.customer_id, tenant_hint=_metadata_tenant(obj))
    if account is None:
        snapshot.customer_id = None  # nobody's: only the Event itself is mirrored
    mirror.snapshot_apply(snapshot=snapshot, tenant=account.tenant if account else None)
    if DjstripeEvent.objects.filter(id=event["id"]).exists():
        return account, Outcome.IGNORED  # recorded by dj-stripe's own endpoint already
    stored = mirror.event_record(event=event)
    signal = WEBHOOK_SIGNALS.get(event["type"])
    if signal is None:
        return account, Outcome.IGNORED
    responses = signal.send(sender=DjstripeEvent, event=stored, fetched_at=snapshot.fetched_at)
    answers = [answer for receiver, answer in responses if receiver is on_stripe_event]
    if answers and answers[0] is not None:
        return answers[0]
    if account is None:
        return None, Outcome.UNMATCHED if event["type"] in HANDLED_EVENTS else Outcome.IGNORED
    return account, Outcome.IGNORED


# --- Finding the workspace -------------------------------------------------------------------------


def _id_of(value) -> str | None:
    """A Stripe reference, expanded (an object) or not (its id)."""
    if isinstance(value, dict):
        return value.get("id")
    return value or None


def _account_for(*, customer_id: str | None, tenant_hint: str | None) -> BillingAccount | None:
    """The account of ``customer_id``, locked. ``tenant_hint`` (our metadata) only links a
    workspace that has no customer yet; it never overrides a customer already linked elsewhere."""
    if customer_id:
        account = BillingAccount.objects.select_for_update().filter(stripe_customer_id=customer_id).first()
        if account is not None:
            return account
    if not tenant_hint or not str(tenant_hint).isdigit():
        return None
    tenant = _linkable_tenants().filter(pk=int(tenant_hint)).first()
    if tenant is None:
        return None
    # A workspace that never opened the billing page has no account row yet: it gets one now,
    # so the session links (an "unmatched" answer would make Stripe's retry a duplicate).
    BillingAccount.objects.get_or_create(tenant=tenant)
    account = BillingAccount.objects.select_for_update().get(tenant=tenant)
    if account.stripe_customer_id and account.stripe_customer_id != customer_id:
        logger.warning(
            "stripe customer %s claims workspace %s linked to another customer", customer_id, tenant_hint
        )
        return None
    if customer_id and not account.stripe_customer_id:
        account.stripe_customer_id = customer_id
        account.save(update_fields=["stripe_customer_id", "updated_at"])
    return account


def _metadata_tenant(obj: dict) -> str | None:
    return (obj.get("metadata") or {}).get(TENANT_METADATA_KEY) or obj.get("client_reference_id")


# --- Subscriptions -------------------------------------------------------------------------------


def _unit_amount(price: dict) -> Decimal:
    for key in ("unit_amount_decimal", "unit_amount", "amount_decimal", "amount"):
        if price.get(key) not in (None, ""):
            return Decimal(str(price[key]))
    return Decimal(0)


def _monthly(amount: Decimal, interval: str, count: int) -> Decimal:
    per_month = {"month": Decimal(1), "year": Decimal(12), "week": Decimal(12) / 52, "day": Decimal(12) / 365}
    months = per_month.get(interval)
    if months is None or count < 1:
        return Decimal(0)
    return (amount / (months * count)).quantize(Decimal("0.01"))


def _subscription_fields(obj: dict) -> dict:
    """What a subscription object says, in the shape of BillingSubscription (old and new API
    shapes: the period lives on the subscription before 2025-03-31 and on its items since)."""
    items = (obj.get("items") or {}).get("data") or []
    first = items[0] if items else {}
    price = first.get("price") or first.get("plan") or obj.get("plan") or {}
    currency = (price.get("currency") or obj.get("currency") or "").upper()
    recurring = price.get("recurring") or {}
    interval = recurring.get("interval") or price.get("interval") or ""
    interval_count = int(recurring.get("interval_count") or price.get("interval_count") or 1)
    if items:
        minor = sum(
            _unit_amount(item.get("price") or item.get("plan") or {}) * int(item.get("quantity") or 1)
            for item in items
        )
    else:
        minor = _unit_amount(price) * int(obj.get("quantity") or 1)
    amount = from_minor_units(minor, currency) if currency else Decimal(0)
    period_end = obj.get("current_period_end") or max(
        (item["current_period_end"] for item in items if item.get("current_period_end")), default=None
    )
    price_id = price.get("id") or ""
    return {
        "stripe_item_id": first.get("id") or "",
        "stripe_price_id": price_id,
        "plan": plan_for_stripe_price(stripe_price_id=price_id),
        "currency": currency,
        "amount": amount,
        "interval": interval,
        "interval_count": interval_count,
        "monthly_amount": _monthly(amount, interval, interval_count),
        "started_at": from_timestamp(obj.get("start_date") or obj.get("start") or obj.get("created")),
        "trial_end": from_timestamp(obj.get("trial_end")),
        "current_period_end": from_timestamp(period_end),
        "cancel_at_period_end": bool(obj.get("cancel_at_period_end")),
        "canceled_at": from_timestamp(obj.get("canceled_at")),
        "ended_at": from_timestamp(obj.get("ended_at")),
    }


def _project(
    *, account: BillingAccount, subscription_id: str, created: datetime, fetched_at: datetime
) -> tuple[str, str | None, str | None]:
    """Bring the workspace's record of a subscription in line with the mirror (the state read
    from Stripe for this event), then the workspace with it.

    Returns (outcome, status before, status after).
    """
    mirrored = DjstripeSubscription.objects.filter(id=subscription_id).first()
    subscription = (
        BillingSubscription.objects.select_for_update().filter(stripe_subscription_id=subscription_id).first()
    )
    if subscription is not None and subscription.account_id != account.pk:
        logger.error("stripe subscription %s belongs to another account: not applied", subscription_id)
        return Outcome.UNMATCHED, None, None
    before = subscription.status if subscription else None
    if mirrored is None or mirrored.customer_id != account.stripe_customer_id:
        return Outcome.IGNORED, before, before
    data = mirrored.stripe_data
    status = data.get("status")
    if status not in SubscriptionStatus.values:
        logger.warning("stripe subscription %s with status %r not applied", subscription_id, status)
        return Outcome.IGNORED, before, before
    if subscription is not None and subscription.synced_at and fetched_at < subscription.synced_at:
        return Outcome.STALE, before, before  # a later read of Stripe was applied already
    older = (
        subscription is not None
        and subscription.details_event_created is not None
        and created < subscription.details_event_created
    )
    if subscription is None:
        subscription = BillingSubscription(account=account, stripe_subscription_id=subscription_id)
    for name, value in _subscription_fields(data).items():
        setattr(subscription, name, value)
    # Stripe never revives a cancelled subscription: a read saying otherwise is the older one.
    if subscription.status not in TERMINAL:
        subscription.status = status
    subscription.synced_at = fetched_at
    newest = max(filter(None, (subscription.details_event_created, created)))
    subscription.details_event_created = subscription.status_event_created = newest
    subscription.save()
    billing_account_reconcile(account=account)
    # An event older than one applied before is reported as such; what it brought (Stripe's
    # current state) is at least as new as anything applied.
    return (Outcome.STALE if older else Outcome.APPLIED), before, subscription.status


def on_stripe_event(sender, event: DjstripeEvent, fetched_at: datetime | None = None, **kwargs):
    """dj-stripe's signal for one of HANDLED_EVENTS, once the mirror holds what Stripe said.

    Returns (account, outcome) for the webhook's record.
    """
    if fetched_at is None:
        # Sent by someone else (dj-stripe's own endpoint): no read of Stripe stands behind it.
        return None
    obj = event.data["object"]
    customer_id = _id_of(obj.get("customer"))
    account = (
        BillingAccount.objects.select_for_update().filter(stripe_customer_id=customer_id).first()
        if customer_id
        else None
    )
    if account is None:
        return None, Outcome.UNMATCHED
    if event.type == "checkout.session.completed" and obj.get("mode") not in (None, "subscription"):
        return account, Outcome.IGNORED
    created = event.created or fetched_at
    subscription_id = mirror.subscription_id_for(event.type, obj)
    if subscription_id is None and event.type in mirror.INVOICE_EVENTS and account.subscription_id:
        subscription_id = account.subscription.stripe_subscription_id
    outcome, before, after = Outcome.APPLIED, None, None
    if subscription_id:
        outcome, before, after = _project(
            account=account, subscription_id=subscription_id, created=created, fetched_at=fetched_at
        )
    if outcome == Outcome.UNMATCHED:
        return account, outcome
    if after in ENDED and before not in ENDED and before is not None:
        account.refresh_from_db(fields=["subscription"])
        if account.subscription and account.subscription.stripe_subscription_id == subscription_id:
            _email(account, "subscription_cancelled", {})
    if event.type in mirror.INVOICE_EVENTS:
        invoice = DjstripeInvoice.objects.filter(id=obj.get("id")).first()
        data = invoice.stripe_data if invoice is not None else obj
        if event.type == "invoice.paid" and int(data.get("amount_paid") or 0) > 0:
            # A receipt is true whatever the order it arrives in (once per invoice: on invoice.paid).
            _email(account, "payment_received", _invoice_email_context(data))
        if event.type == "invoice.payment_failed" and outcome == Outcome.APPLIED and after in OVERDUE:
            context = _invoice_email_context(data)
            account.refresh_from_db(fields=["grace_until"])
            context["grace_until"] = account.grace_until.isoformat() if account.grace_until else ""
            _email(account, "payment_failed", context)
    return account, outcome


def _invoice_email_context(obj: dict) -> dict:
    currency = (obj.get("currency") or "").upper()
    return {
        "currency": currency,
        "amount_paid": str(from_minor_units(obj.get("amount_paid"), currency)),
        "amount_due": str(from_minor_units(obj.get("amount_due"), currency)),
        "number": obj.get("number") or "",
        "hosted_invoice_url": obj.get("hosted_invoice_url") or "",
        "invoice_pdf": obj.get("invoice_pdf") or "",
    }


def _email(account: BillingAccount, kind: str, context: dict) -> None:
    tenant_id = account.tenant_id
    transaction.on_commit(lambda: tasks.send_billing_email.delay(tenant_id, kind, context))
