"""Stripe webhook events: verified, processed once, applied in order.

- The signature is checked the way Stripe signs (``stripe.WebhookSignature``, 5-minute
  tolerance) before anything is read or stored.
- Each event id is inserted first, inside the transaction that applies it: a repeated delivery,
  or one racing another, hits the primary key and is answered without processing again. When
  applying fails, the insert is rolled back too, so Stripe's retry processes it.
- The workspace is found by its Stripe customer id only (our own metadata is a fallback for a
  customer not linked yet): an event for one workspace's customer never touches another's.
- Every subscription row remembers the ``created`` of the newest event applied to it; an older
  event that arrives late changes nothing.
- Emails are sent by Celery after the transaction commits; nothing here logs payloads.
"""

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction
from django_tenants.utils import get_public_schema_name

from billing import tasks
from billing.dunning import billing_account_reconcile
from billing.exceptions import InvalidWebhook, StripeUnavailable
from billing.models import (
    ENDED,
    LIVE,
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
    stripe_client,
)
from tenants.models import Tenant

logger = logging.getLogger(__name__)

Outcome = StripeEvent.Outcome
# Stripe never brings a subscription back from these (a new subscription is made instead).
TERMINAL = (SubscriptionStatus.CANCELED, SubscriptionStatus.INCOMPLETE_EXPIRED)
# Metadata key our Checkout sessions and subscriptions carry (set server-side, signed by Stripe).
TENANT_METADATA_KEY = "tenant_id"


@dataclass(frozen=True)
class Receipt:
    event_id: str
    type: str
    outcome: str
    duplicate: bool = False


def stripe_webhook_receive(*, payload: bytes, signature: str | None) -> Receipt:
    """Verify one webhook delivery and process its event once. Raises InvalidWebhook."""
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
    # Whatever must be read from Stripe is read now, before the transaction and its row locks:
    # Stripe being slow or down never holds a workspace's row, and fails with nothing written.
    fetched = _fetch(event)
    return stripe_event_process(event=event, fetched=fetched)


def _fetch(event: dict) -> dict:
    """The Stripe objects an event's processing needs that the product does not hold yet.

    Raises StripeUnavailable (the delivery is answered 503 and Stripe retries it).
    """
    obj = event["data"]["object"]
    if event["type"] != "checkout.session.completed" or not billing_online():
        return {}
    customer_id, hint = _id_of(obj.get("customer")), _metadata_tenant(obj)
    known = customer_id and BillingAccount.objects.filter(stripe_customer_id=customer_id).exists()
    if not known and not (hint and str(hint).isdigit() and Tenant.objects.filter(pk=int(hint)).exists()):
        return {}  # nobody to link it to: nothing worth asking Stripe
    subscription_id = _id_of(obj.get("subscription"))
    if (
        not subscription_id
        or BillingSubscription.objects.filter(stripe_subscription_id=subscription_id).exists()
    ):
        return {}
    try:
        subscription = stripe_client().v1.subscriptions.retrieve(subscription_id).to_dict()
    except stripe.StripeError as error:
        logger.warning("stripe subscription read failed: %s %s", type(error).__name__, error.request_id)
        raise StripeUnavailable("Stripe could not be reached") from error
    return {subscription_id: subscription}


def stripe_event_process(*, event: dict, fetched: dict | None = None) -> Receipt:
    """Apply one (verified) event unless it was already processed. ``fetched``: the Stripe objects
    read for it beforehand (by id); nothing here calls Stripe."""
    fetched = fetched or {}
    event_id, event_type = event["id"], event["type"]
    created = from_timestamp(event["created"])
    livemode = bool(event.get("livemode"))
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = StripeEvent.objects.create(
                    event_id=event_id, type=event_type, created=created, livemode=livemode
                )
        except IntegrityError:
            # Processed already, or being processed by a racing delivery that has now committed.
            return Receipt(event_id=event_id, type=event_type, outcome="", duplicate=True)
        handler = HANDLERS.get(event_type)
        account, outcome = None, Outcome.IGNORED
        if livemode != settings.STRIPE_LIVE_MODE:
            logger.warning("stripe event %s ignored: livemode=%s", event_id, livemode)
        elif handler is not None:
            account, outcome = handler(event["data"]["object"], created, fetched)
        record.account = account
        record.outcome = outcome
        record.save(update_fields=["account", "outcome"])
    logger.info("stripe event %s %s: %s", event_id, event_type, outcome)
    return Receipt(event_id=event_id, type=event_type, outcome=outcome)


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
    tenant = (
        Tenant.objects.filter(pk=int(tenant_hint))
        .exclude(status__in=(Tenant.Status.CLOSED, Tenant.Status.TEMPLATE))
        .exclude(schema_name=get_public_schema_name())
        .first()
    )
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


def _subscription_apply(*, account: BillingAccount, obj: dict, created: datetime) -> tuple[str, str | None]:
    """Record what a subscription object says, unless a newer event was already applied.

    Returns (outcome, status before) for the caller's emails.
    """
    subscription_id = obj.get("id")
    status = obj.get("status")
    if not subscription_id or status not in SubscriptionStatus.values:
        logger.warning("stripe subscription %s with status %r not applied", subscription_id, status)
        return Outcome.IGNORED, None
    subscription = (
        BillingSubscription.objects.select_for_update().filter(stripe_subscription_id=subscription_id).first()
    )
    if subscription is not None and subscription.account_id != account.pk:
        logger.error("stripe subscription %s belongs to another account: not applied", subscription_id)
        return Outcome.UNMATCHED, None
    if (
        subscription is not None
        and subscription.details_event_created
        and created < subscription.details_event_created
    ):
        return Outcome.STALE, subscription.status
    before = subscription.status if subscription else None
    fields = _subscription_fields(obj)
    if subscription is None:
        subscription = BillingSubscription(account=account, stripe_subscription_id=subscription_id)
    for name, value in fields.items():
        setattr(subscription, name, value)
    if subscription.status in TERMINAL:
        # Stripe never revives a cancelled subscription: whatever says otherwise, even an event
        # of the same second, is older than the cancellation.
        pass
    elif subscription.status_event_created is None or created >= subscription.status_event_created:
        subscription.status = status
        subscription.status_event_created = created
    subscription.details_event_created = created
    subscription.save()
    billing_account_reconcile(account=account)
    return Outcome.APPLIED, before


def _on_subscription_event(obj: dict, created: datetime, fetched: dict):
    account = _account_for(customer_id=_id_of(obj.get("customer")), tenant_hint=_metadata_tenant(obj))
    if account is None:
        return None, Outcome.UNMATCHED
    outcome, before = _subscription_apply(account=account, obj=obj, created=created)
    return account, outcome


def _on_subscription_deleted(obj: dict, created: datetime, fetched: dict):
    account, outcome = _on_subscription_event(obj, created, fetched)
    if outcome == Outcome.APPLIED and account.subscription_id:
        current = account.subscription
        if current.stripe_subscription_id == obj.get("id") and current.status in ENDED:
            _email(account, "subscription_cancelled", {})
    return account, outcome


def _on_checkout_completed(obj: dict, created: datetime, fetched: dict):
    """Link the customer and the subscription to the workspace the session was opened for."""
    if obj.get("mode") not in (None, "subscription"):
        return None, Outcome.IGNORED
    account = _account_for(customer_id=_id_of(obj.get("customer")), tenant_hint=_metadata_tenant(obj))
    if account is None:
        return None, Outcome.UNMATCHED
    subscription_id = _id_of(obj.get("subscription"))
    if not subscription_id:
        return account, Outcome.APPLIED
    if BillingSubscription.objects.filter(stripe_subscription_id=subscription_id).exists():
        # Its own events got here first; the subscription is known already.
        return account, Outcome.APPLIED
    # The subscription's own events may come later: it was read before the transaction, so the
    # owner who comes back from Checkout sees the plan at once. Its state is at least as new as
    # this event.
    subscription = fetched.get(subscription_id)
    if subscription is None:
        return account, Outcome.APPLIED
    if _id_of(subscription.get("customer")) != account.stripe_customer_id:
        logger.error("checkout session subscription %s is another customer's", subscription_id)
        return account, Outcome.UNMATCHED
    outcome, _ = _subscription_apply(account=account, obj=subscription, created=created)
    return account, outcome


# --- Invoices ------------------------------------------------------------------------------------


def _invoice_subscription_id(obj: dict) -> str | None:
    """The invoice's subscription: top level before 2025-03-31 ("basil"), under parent since."""
    parent = obj.get("parent") or {}
    details = parent.get("subscription_details") or {}
    return _id_of(obj.get("subscription")) or _id_of(details.get("subscription"))


def _invoice_subscription(account: BillingAccount, obj: dict) -> BillingSubscription | None:
    subscription_id = _invoice_subscription_id(obj)
    if subscription_id is None:
        # An invoice outside any subscription (a manual one): it counts for the current one.
        return (
            BillingSubscription.objects.select_for_update().filter(pk=account.subscription_id).first()
            if account.subscription_id
            else None
        )
    return (
        BillingSubscription.objects.select_for_update()
        .filter(account=account, stripe_subscription_id=subscription_id)
        .first()
    )


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


def _on_invoice_paid(obj: dict, created: datetime, fetched: dict, *, send_receipt: bool = True):
    account = _account_for(customer_id=_id_of(obj.get("customer")), tenant_hint=None)
    if account is None:
        return None, Outcome.UNMATCHED
    paid_something = int(obj.get("amount_paid") or 0) > 0
    if send_receipt and paid_something:
        # A receipt is true whatever the order it arrives in (once per invoice: on invoice.paid).
        _email(account, "payment_received", _invoice_email_context(obj))
    subscription = _invoice_subscription(account, obj)
    if subscription is None:
        return account, Outcome.APPLIED
    if subscription.status_event_created and created < subscription.status_event_created:
        return account, Outcome.STALE
    # A cancelled subscription stays so. A $0 invoice (a trial starting) changes no status, but
    # like any paid invoice it says how things stood at ``created``: older news is stale after it.
    if subscription.status not in ENDED:
        if paid_something and subscription.status in (
            *OVERDUE,
            SubscriptionStatus.INCOMPLETE,
            SubscriptionStatus.TRIALING,
        ):
            subscription.status = SubscriptionStatus.ACTIVE
        subscription.status_event_created = created
        subscription.save(update_fields=["status", "status_event_created", "updated_at"])
    billing_account_reconcile(account=account)
    return account, Outcome.APPLIED


def _on_invoice_payment_succeeded(obj: dict, created: datetime, fetched: dict):
    return _on_invoice_paid(obj, created, fetched, send_receipt=False)


def _on_invoice_payment_failed(obj: dict, created: datetime, fetched: dict):
    account = _account_for(customer_id=_id_of(obj.get("customer")), tenant_hint=None)
    if account is None:
        return None, Outcome.UNMATCHED
    subscription = _invoice_subscription(account, obj)
    if subscription is None:
        return account, Outcome.IGNORED
    if subscription.status_event_created and created < subscription.status_event_created:
        return account, Outcome.STALE
    # A first invoice failing inside Checkout (incomplete) is Checkout's to retry; a cancelled
    # subscription stays cancelled.
    if subscription.status not in LIVE:
        return account, Outcome.IGNORED
    if subscription.status not in OVERDUE:
        subscription.status = SubscriptionStatus.PAST_DUE
    subscription.status_event_created = created
    subscription.save(update_fields=["status", "status_event_created", "updated_at"])
    billing_account_reconcile(account=account)
    context = _invoice_email_context(obj)
    context["grace_until"] = account.grace_until.isoformat() if account.grace_until else ""
    _email(account, "payment_failed", context)
    return account, Outcome.APPLIED


def _email(account: BillingAccount, kind: str, context: dict) -> None:
    tenant_id = account.tenant_id
    transaction.on_commit(lambda: tasks.send_billing_email.delay(tenant_id, kind, context))


HANDLERS: dict[str, Callable[[dict, datetime, dict], tuple[BillingAccount | None, str]]] = {
    "checkout.session.completed": _on_checkout_completed,
    "customer.subscription.created": _on_subscription_event,
    "customer.subscription.updated": _on_subscription_event,
    "customer.subscription.deleted": _on_subscription_deleted,
    "invoice.paid": _on_invoice_paid,
    "invoice.payment_succeeded": _on_invoice_payment_succeeded,
    "invoice.payment_failed": _on_invoice_payment_failed,
}
