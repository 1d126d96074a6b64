"""What a workspace's subscription means for the workspace: usable, suspended after the grace
period, read-only once cancelled; and the reminders that come with it.

Every status change goes through ``tenants.lifecycle`` (which records a ``TenantEvent``).
Billing only ever moves a workspace that is in a trial, active, read-only ("trial expired") or
suspended *by billing*: a workspace the super-admin suspended, a closed one or the template are
never touched here.
"""

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tenants.utils import get_public_schema_name

from billing.models import (
    ENDED,
    GOOD_STANDING,
    LIVE,
    OVERDUE,
    BillingAccount,
    BillingSubscription,
    SubscriptionStatus,
)
from tenants.lifecycle import (
    StatusChangeRefused,
    tenant_change_plan,
    tenant_reactivate,
    tenant_status_set,
    tenant_suspend,
)
from tenants.models import Tenant, TenantEvent

logger = logging.getLogger(__name__)

Status = Tenant.Status

GRACE_PERIOD = timedelta(days=7)
TRIAL_REMINDER_BEFORE = timedelta(days=3)
# The reason recorded on suspensions made by billing; only those are undone by a payment.
SUSPENSION_REASON = "payment_overdue"
# TenantEvent actions for the two moves tenants.lifecycle has no service for yet (see the
# report): trial -> active on subscribing, and to read-only on cancellation.
ACTION_SUBSCRIBED = getattr(TenantEvent.Action, "SUBSCRIBED", "subscribed")
ACTION_SUBSCRIPTION_CANCELLED = getattr(
    TenantEvent.Action, "SUBSCRIPTION_CANCELLED", "subscription_cancelled"
)


def suspended_by_billing(tenant: Tenant) -> bool:
    """True when ``tenant`` is suspended and its latest suspension was billing's."""
    if tenant.status != Status.SUSPENDED:
        return False
    event = (
        TenantEvent.objects.filter(tenant_ref=tenant.pk, action=TenantEvent.Action.SUSPENDED)
        .order_by("-created_at", "-id")
        .first()
    )
    return event is not None and event.data.get("reason") == SUSPENSION_REASON


def subscription_current(*, account: BillingAccount) -> BillingSubscription | None:
    """The subscription that decides the workspace's status: the newest live one, else the newest."""
    subscriptions = list(account.subscriptions.all())
    if not subscriptions:
        return None

    def newest(subscription: BillingSubscription):
        return (subscription.started_at or subscription.created_at, subscription.pk)

    live = [subscription for subscription in subscriptions if subscription.status in LIVE]
    return max(live or subscriptions, key=newest)


def _make_usable(tenant: Tenant) -> None:
    """Trial, read-only or billing-suspended -> active (a paying or trialing subscriber)."""
    if tenant.status == Status.SUSPENDED:
        if not suspended_by_billing(tenant):
            return  # the super-admin's suspension stands
        tenant_reactivate(tenant=tenant)
    if tenant.status == Status.TRIAL_EXPIRED:
        tenant_reactivate(tenant=tenant)
    if tenant.status == Status.TRIAL:
        tenant_status_set(
            tenant=tenant, to=Status.ACTIVE, allowed_from=(Status.TRIAL,), action=ACTION_SUBSCRIBED
        )


def _make_read_only(tenant: Tenant, *, subscription: BillingSubscription) -> None:
    """Active, trial or billing-suspended -> read-only: the data stays, writes wait for a plan."""
    if tenant.status in (Status.ACTIVE, Status.TRIAL) or suspended_by_billing(tenant):
        tenant_status_set(
            tenant=tenant,
            to=Status.TRIAL_EXPIRED,
            allowed_from=(Status.ACTIVE, Status.TRIAL, Status.SUSPENDED),
            action=ACTION_SUBSCRIPTION_CANCELLED,
            data={"subscription": subscription.stripe_subscription_id},
        )


def _suspend(tenant: Tenant) -> None:
    if tenant.status in (Status.ACTIVE, Status.TRIAL, Status.TRIAL_EXPIRED):
        tenant_suspend(tenant=tenant, reason=SUSPENSION_REASON)


def billing_account_reconcile(*, account: BillingAccount, now: datetime | None = None) -> Tenant | None:
    """Bring the workspace in line with its current subscription. Safe to run any number of times.

    The caller holds the transaction and the account's row lock (the events and the task do).
    """
    now = now or timezone.now()
    current = subscription_current(account=account)
    changed = []
    if account.subscription_id != (current.pk if current else None):
        account.subscription = current
        changed.append("subscription")
    if current is not None and current.status in OVERDUE:
        if account.grace_until is None:
            account.grace_until = now + GRACE_PERIOD
            changed.append("grace_until")
    elif account.grace_until is not None:
        account.grace_until = None
        changed.append("grace_until")
    if changed:
        account.save(update_fields=[*changed, "updated_at"])

    tenant = Tenant.objects.select_related("plan").filter(pk=account.tenant_id).first()
    if tenant is None or current is None or tenant.status in (Status.CLOSED, Status.TEMPLATE):
        return tenant
    try:
        if current.status in GOOD_STANDING:
            _make_usable(tenant)
        elif current.status in OVERDUE:
            # Usable during the grace period, suspended after it.
            if now < account.grace_until:
                _make_usable(tenant)
            else:
                _suspend(tenant)
        elif current.status in ENDED:
            _make_read_only(tenant, subscription=current)
        if current.status in LIVE and current.plan_id and current.plan_id != tenant.plan_id:
            tenant_change_plan(tenant=tenant, plan=current.plan)
    except StatusChangeRefused as refused:
        # Someone else changed the workspace meanwhile; the next event or task run tries again.
        logger.warning("billing could not move workspace %s: %s", tenant.slug, refused.message)
    return tenant


def billing_suspend_overdue(*, now: datetime | None = None) -> list[Tenant]:
    """Suspend every workspace whose payment is still overdue once its grace period is over.

    Idempotent: a suspended workspace is no longer selected. Returns the workspaces suspended.
    """
    now = now or timezone.now()
    suspended = []
    with transaction.atomic():
        due = (
            BillingAccount.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                grace_until__lte=now,
                subscription__status__in=OVERDUE,
                tenant__status__in=(Status.ACTIVE, Status.TRIAL, Status.TRIAL_EXPIRED),
            )
            .exclude(tenant__schema_name=get_public_schema_name())
            .order_by("pk")
        )
        for account in due:
            tenant = billing_account_reconcile(account=account, now=now)
            if tenant is not None and tenant.status == Status.SUSPENDED:
                suspended.append(tenant)
    return suspended


def trial_reminders_due(*, now: datetime | None = None) -> list[tuple[Tenant, datetime]]:
    """Workspaces whose trial (their own, or their subscription's) ends within 3 days and whose
    owner has not been told about that trial end yet, each with the trial end.

    Marks them as told, in the caller's transaction: a second run finds nothing.
    """
    now = now or timezone.now()
    horizon = now + TRIAL_REMINDER_BEFORE
    due: list[tuple[Tenant, datetime]] = []
    # Workspaces on the platform's own trial, with no subscription yet.
    own_trials = (
        Tenant.objects.filter(status=Status.TRIAL, trial_ends_at__gt=now, trial_ends_at__lte=horizon)
        .exclude(schema_name=get_public_schema_name())
        .exclude(billing_account__subscription__status__in=LIVE)
        .order_by("pk")
    )
    for tenant in own_trials:
        due.append((tenant, tenant.trial_ends_at))
    # Subscribers whose Stripe trial ends soon (they will be charged).
    subscribed = (
        BillingSubscription.objects.select_related("account__tenant")
        .filter(status=SubscriptionStatus.TRIALING, trial_end__gt=now, trial_end__lte=horizon)
        .filter(account__subscription=F("pk"))  # only the current one
        .order_by("pk")
    )
    for subscription in subscribed:
        due.append((subscription.account.tenant, subscription.trial_end))
    told = []
    for tenant, ends_at in due:
        account, _ = BillingAccount.objects.get_or_create(tenant=tenant)
        account = BillingAccount.objects.select_for_update().get(pk=account.pk)
        if account.trial_reminder_sent_for == ends_at:
            continue
        account.trial_reminder_sent_for = ends_at
        account.save(update_fields=["trial_reminder_sent_for", "updated_at"])
        told.append((tenant, ends_at))
    return told
