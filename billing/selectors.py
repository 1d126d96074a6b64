"""Reads for billing: a workspace's account and page, the plans it can buy, what it uses against
a plan's limits, and the platform's MRR and churn from the real subscriptions.

Billing tables live in the public schema, which no schema protects: every read here is filtered
by the workspace (or is the platform's own aggregate).
"""

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from djstripe.models import Invoice as DjstripeInvoice

from billing.models import (
    ENDED,
    LIVE,
    OVERDUE,
    BillingAccount,
    BillingSubscription,
    PlanRequest,
    PlanStripePrice,
    SubscriptionStatus,
)
from billing.stripe_api import billing_online, from_minor_units
from plans.limits import limit_text, resource_label
from plans.models import Plan
from tenants.models import Tenant

logger = logging.getLogger(__name__)

# Used when a plan has no Stripe price in the workspace's own currency.
FALLBACK_CURRENCY = "USD"
INVOICES_SHOWN = 12
CHURN_WINDOW = timedelta(days=30)


def billing_account_get(*, tenant: Tenant) -> BillingAccount | None:
    """The workspace's billing account with its current subscription and plan (one query)."""
    return (
        BillingAccount.objects.select_related("subscription", "subscription__plan")
        .filter(tenant_id=tenant.pk)
        .first()
    )


def plan_stripe_price_for(*, plan: Plan, currency: str, interval: str) -> PlanStripePrice | None:
    """The active Stripe price of ``plan`` in ``currency`` (else in USD) for ``interval``."""
    prices = {
        price.currency: price
        for price in PlanStripePrice.objects.filter(
            plan=plan, interval=interval, is_active=True, currency__in={currency, FALLBACK_CURRENCY}
        )
    }
    return prices.get(currency) or prices.get(FALLBACK_CURRENCY)


def plan_for_stripe_price(*, stripe_price_id: str) -> Plan | None:
    """The plan a Stripe price charges for (inactive prices still map: old subscribers keep them)."""
    if not stripe_price_id:
        return None
    price = PlanStripePrice.objects.select_related("plan").filter(stripe_price_id=stripe_price_id).first()
    return price.plan if price else None


# --- What the workspace uses against a plan's limits (the workspace's schema) ----------------


@dataclass(frozen=True)
class Excess:
    resource: str
    label: str
    current: int
    limit: int

    @property
    def reduce_by(self) -> int:
        return self.current - self.limit

    @property
    def limit_text(self) -> str:
        return limit_text(self.limit)


def plan_excesses(*, plan: Plan, usage: dict[str, int]) -> list[Excess]:
    """Each limit of ``plan`` that ``usage`` already passes (empty when the plan fits)."""
    fields = {
        "products": plan.max_products,
        "locations": plan.max_locations,
        "users": plan.max_users,
        "sales_per_month": plan.max_sales_per_month,
        "active_students": plan.max_active_students,
        "teachers": plan.max_teachers,
        "online_orders_per_month": plan.max_online_orders_per_month,
        "conversations_per_month": plan.max_conversations_per_month,
    }
    return [
        Excess(resource=resource, label=resource_label(resource), current=usage[resource], limit=limit)
        for resource, limit in fields.items()
        if limit is not None and usage.get(resource, 0) > limit
    ]


# --- The billing page ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanChoice:
    plan: Plan
    monthly_list_price: Decimal | None
    monthly: PlanStripePrice | None
    yearly: PlanStripePrice | None
    is_current: bool

    @property
    def purchasable(self) -> bool:
        return self.monthly is not None or self.yearly is not None


@dataclass(frozen=True)
class InvoiceRow:
    number: str
    created: datetime | None
    amount: Decimal
    currency: str
    status: str
    hosted_invoice_url: str
    invoice_pdf: str

    @property
    def status_display(self) -> str:
        labels = {
            "draft": _("Draft"),
            "open": _("Open"),
            "paid": _("Paid"),
            "uncollectible": _("Uncollectible"),
            "void": _("Void"),
        }
        return str(labels.get(self.status, self.status))


@dataclass(frozen=True)
class BillingOverview:
    online: bool
    plan: Plan | None
    account: BillingAccount | None
    subscription: BillingSubscription | None
    # trialing / active / past_due / canceled ... or "" without a subscription.
    status: str
    status_display: str
    trial_ends_at: datetime | None
    trial_days_left: int | None
    next_charge_at: datetime | None
    next_charge_amount: Decimal | None
    next_charge_currency: str
    ends_at: datetime | None
    grace_until: datetime | None
    choices: list[PlanChoice]
    # From the mirror, newest first ([]: no invoice yet).
    invoices: list[InvoiceRow]
    can_manage: bool
    # Manual mode: the owner's request waiting for the platform team, if any.
    pending_request: PlanRequest | None = None

    @property
    def has_live_subscription(self) -> bool:
        return self.subscription is not None and self.subscription.status in LIVE

    @property
    def is_overdue(self) -> bool:
        return self.subscription is not None and self.subscription.status in OVERDUE


def plan_choices_for(*, tenant: Tenant, current_plan_id: int | None) -> list[PlanChoice]:
    """The public plans with their Stripe prices for the workspace (two queries)."""
    plans = list(
        Plan.objects.filter(is_public=True).order_by("rank").prefetch_related("prices", "stripe_prices")
    )
    choices = []
    for plan in plans:
        by_key = {
            (price.currency, price.interval): price for price in plan.stripe_prices.all() if price.is_active
        }

        def price(interval, by_key=by_key):
            return by_key.get((tenant.currency, interval)) or by_key.get((FALLBACK_CURRENCY, interval))

        list_price = next(
            (p.monthly_amount for p in plan.prices.all() if p.currency == tenant.currency), None
        )
        choices.append(
            PlanChoice(
                plan=plan,
                monthly_list_price=list_price,
                monthly=price(PlanStripePrice.Interval.MONTH),
                yearly=price(PlanStripePrice.Interval.YEAR),
                is_current=plan.pk == current_plan_id,
            )
        )
    return choices


def invoices_for(*, account: BillingAccount | None) -> list[InvoiceRow]:
    """The customer's latest invoices from the mirror (dj-stripe's Invoice table, filled by the
    webhook): no call to Stripe, so the page is fast and shows them while Stripe is down. The
    links are Stripe's hosted invoice page and PDF."""
    if account is None or not account.stripe_customer_id:
        return []
    invoices = DjstripeInvoice.objects.filter(customer_id=account.stripe_customer_id).order_by(
        "-created", "-djstripe_id"
    )[:INVOICES_SHOWN]
    rows = []
    for invoice in invoices:
        data = invoice.stripe_data
        currency = (data.get("currency") or "").upper()
        rows.append(
            InvoiceRow(
                number=data.get("number") or invoice.id,
                created=invoice.created,
                amount=from_minor_units(data.get("total"), currency),
                currency=currency,
                status=data.get("status") or "",
                hosted_invoice_url=data.get("hosted_invoice_url") or "",
                invoice_pdf=data.get("invoice_pdf") or "",
            )
        )
    return rows


def billing_overview(*, tenant: Tenant, can_manage: bool, now: datetime | None = None) -> BillingOverview:
    """Everything the billing page shows for ``tenant``."""
    now = now or timezone.now()
    account = billing_account_get(tenant=tenant)
    subscription = account.subscription if account else None
    status = subscription.status if subscription else ""
    trial_ends_at = None
    if subscription and subscription.status == SubscriptionStatus.TRIALING:
        trial_ends_at = subscription.trial_end
    elif subscription is None and tenant.status == Tenant.Status.TRIAL:
        trial_ends_at = tenant.trial_ends_at
    trial_days_left = None
    if trial_ends_at is not None:
        trial_days_left = max(0, (trial_ends_at - now + timedelta(hours=23, minutes=59)).days)
    next_charge_at = next_charge_amount = ends_at = None
    if subscription and subscription.status in LIVE:
        if subscription.cancel_at_period_end:
            ends_at = subscription.current_period_end
        else:
            next_charge_at = subscription.trial_end if status == SubscriptionStatus.TRIALING else None
            next_charge_at = next_charge_at or subscription.current_period_end
            next_charge_amount = subscription.amount
    elif subscription and subscription.status in ENDED:
        ends_at = subscription.ended_at or subscription.canceled_at
    online = billing_online()
    return BillingOverview(
        online=online,
        plan=tenant.plan,
        account=account,
        subscription=subscription,
        status=status,
        status_display=str(SubscriptionStatus(status).label) if status else "",
        trial_ends_at=trial_ends_at,
        trial_days_left=trial_days_left,
        next_charge_at=next_charge_at,
        next_charge_amount=next_charge_amount,
        next_charge_currency=subscription.currency if subscription else "",
        ends_at=ends_at,
        grace_until=account.grace_until if account and status in OVERDUE else None,
        choices=plan_choices_for(tenant=tenant, current_plan_id=tenant.plan_id),
        invoices=invoices_for(account=account),
        can_manage=can_manage,
        pending_request=(
            PlanRequest.objects.select_related("plan")
            .filter(tenant_id=tenant.pk, status=PlanRequest.Status.PENDING)
            .first()
        ),
    )


# --- The platform's figures (super-admin) ------------------------------------------------------


@dataclass(frozen=True)
class SubscriptionMrrLine:
    plan_name: str
    currency: str
    subscriptions: int
    mrr: Decimal


@dataclass(frozen=True)
class SubscriptionChurn:
    # Paying subscriptions at the start of the window, and those of them that ended within it.
    paying_at_start: int
    ended: int

    @property
    def percent(self) -> float | None:
        return None if not self.paying_at_start else round(100 * self.ended / self.paying_at_start, 1)


def subscription_mrr() -> tuple[list[SubscriptionMrrLine], dict[str, Decimal]]:
    """Monthly recurring revenue from the subscriptions being paid (active or past due), per plan
    and currency, and per currency. Trials are not revenue yet; amounts are what Stripe charges."""
    rows = (
        BillingSubscription.objects.filter(status__in=[SubscriptionStatus.ACTIVE, *OVERDUE])
        .values("plan__name", "plan__rank", "currency")
        .annotate(subscriptions=Count("pk"), mrr=Sum("monthly_amount"))
        .order_by("plan__rank", "currency")
    )
    lines = [
        SubscriptionMrrLine(
            plan_name=row["plan__name"] or "—",
            currency=row["currency"],
            subscriptions=row["subscriptions"],
            mrr=row["mrr"] or Decimal(0),
        )
        for row in rows
    ]
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for line in lines:
        totals[line.currency] += line.mrr
    return lines, dict(sorted(totals.items()))


def subscription_churn(*, now: datetime | None = None, window: timedelta = CHURN_WINDOW) -> SubscriptionChurn:
    """Of the subscriptions paying at the start of the window (started, out of trial, not ended),
    how many ended (cancelled) within it."""
    now = now or timezone.now()
    start = now - window
    paying_at_start = (
        BillingSubscription.objects.filter(started_at__lte=start)
        .exclude(status__in=[SubscriptionStatus.INCOMPLETE, SubscriptionStatus.INCOMPLETE_EXPIRED])
        .filter(
            Q(trial_end__isnull=True) | Q(trial_end__lte=start),
            Q(ended_at__isnull=True) | Q(ended_at__gt=start),
        )
    )
    counts = paying_at_start.aggregate(
        total=Count("pk"), ended=Count("pk", filter=Q(ended_at__gt=start, ended_at__lte=now))
    )
    return SubscriptionChurn(paying_at_start=counts["total"], ended=counts["ended"])
