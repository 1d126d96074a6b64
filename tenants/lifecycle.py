"""The life of an account: trial expiry, suspension, reactivation, trial extension, plan change.

Every change is recorded as a ``TenantEvent`` in the public schema (status changes carry
``{"from": ..., "to": ...}``, which the platform page reads for churn). Nothing here deletes
data: an expired or suspended workspace keeps everything and comes back as it was.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name

from plans.models import Plan, PlanPrice
from tenants.exceptions import TenantError
from tenants.models import Tenant, TenantEvent

TRIAL_EXTENSION_DAYS = 14

Status = Tenant.Status


class StatusChangeRefused(TenantError):
    """The workspace is not in a status from which this change is allowed."""

    code = "status_change_refused"

    def __init__(self, tenant: Tenant, message: str):
        super().__init__(message)
        self.tenant = tenant
        self.message = message


def _lock(tenant: Tenant) -> Tenant:
    """The workspace's row, locked until the end of the caller's transaction."""
    return Tenant.objects.select_for_update().exclude(schema_name=get_public_schema_name()).get(pk=tenant.pk)


def tenant_event_record(
    *,
    tenant: Tenant,
    action: str,
    actor_email: str = "",
    data: dict | None = None,
    now: datetime | None = None,
) -> TenantEvent:
    """Record one platform-side event about ``tenant`` (public schema)."""
    return TenantEvent.objects.create(
        tenant=tenant,
        tenant_ref=tenant.pk,
        tenant_slug=tenant.slug,
        action=action,
        actor_email=actor_email,
        data=data or {},
        created_at=now or timezone.now(),
    )


def tenant_status_set(
    *,
    tenant: Tenant,
    to: str,
    allowed_from: tuple[str, ...],
    action: str,
    actor_email: str = "",
    data: dict | None = None,
    now: datetime | None = None,
    extra_fields: dict | None = None,
) -> Tenant:
    """Move ``tenant`` to status ``to`` if its current status is in ``allowed_from``.

    The caller holds the transaction. ``tenant`` is updated in place and returned.
    """
    now = now or timezone.now()
    locked = _lock(tenant)
    if locked.status not in allowed_from:
        raise StatusChangeRefused(
            locked,
            _("%(workspace)s is %(status)s: this change is not possible.")
            % {"workspace": locked.name, "status": locked.get_status_display()},
        )
    changes = {"status": to, "updated_at": now, **(extra_fields or {})}
    # A queryset update, not save(): TenantMixin.save() re-creates a missing schema, which a
    # status change must never do (think of a closed workspace whose schema is being dropped).
    Tenant.objects.filter(pk=locked.pk).update(**changes)
    tenant_event_record(
        tenant=locked,
        action=action,
        actor_email=actor_email,
        data={"from": locked.status, "to": to, **(data or {})},
        now=now,
    )
    for field, value in changes.items():
        setattr(tenant, field, value)
    return tenant


def tenant_expire_trials(*, now: datetime | None = None) -> list[Tenant]:
    """Move every workspace whose trial ended before ``now`` to "trial expired".

    Idempotent: a second run finds nothing to do. Returns the workspaces it moved.
    """
    now = now or timezone.now()
    moved = []
    with transaction.atomic():
        due = (
            Tenant.objects.select_for_update(skip_locked=True)
            .filter(status=Status.TRIAL, trial_ends_at__lt=now)
            .exclude(schema_name=get_public_schema_name())
            .order_by("pk")
        )
        for tenant in due:
            tenant_status_set(
                tenant=tenant,
                to=Status.TRIAL_EXPIRED,
                allowed_from=(Status.TRIAL,),
                action=TenantEvent.Action.TRIAL_EXPIRED,
                data={"trial_ended_at": tenant.trial_ends_at.isoformat()},
                now=now,
            )
            moved.append(tenant)
    return moved


def tenant_suspend(*, tenant: Tenant, actor_email: str = "", reason: str = "") -> Tenant:
    """Suspend a workspace (billing, or the super-admin): it shows the suspended page instead."""
    with transaction.atomic():
        return tenant_status_set(
            tenant=tenant,
            to=Status.SUSPENDED,
            allowed_from=(Status.TRIAL, Status.ACTIVE, Status.TRIAL_EXPIRED),
            action=TenantEvent.Action.SUSPENDED,
            actor_email=actor_email,
            data={"reason": reason} if reason else None,
        )


def _status_before_suspension(tenant: Tenant) -> str | None:
    event = (
        TenantEvent.objects.filter(tenant_ref=tenant.pk, action=TenantEvent.Action.SUSPENDED)
        .order_by("-created_at", "-id")
        .first()
    )
    return event.data.get("from") if event else None


def tenant_reactivate(*, tenant: Tenant, actor_email: str = "", now: datetime | None = None) -> Tenant:
    """Give a suspended or trial-expired workspace back its full use.

    A workspace suspended during a trial that has not ended goes back to its trial; every other
    one becomes active (the super-admin or billing reactivates once the business pays).
    """
    now = now or timezone.now()
    with transaction.atomic():
        current = _lock(tenant)
        to = Status.ACTIVE
        if (
            current.status == Status.SUSPENDED
            and _status_before_suspension(current) == Status.TRIAL
            and current.trial_ends_at is not None
            and current.trial_ends_at > now
        ):
            to = Status.TRIAL
        return tenant_status_set(
            tenant=tenant,
            to=to,
            allowed_from=(Status.SUSPENDED, Status.TRIAL_EXPIRED),
            action=TenantEvent.Action.REACTIVATED,
            actor_email=actor_email,
            now=now,
        )


def tenant_extend_trial(
    *, tenant: Tenant, days: int = TRIAL_EXTENSION_DAYS, actor_email: str = "", now: datetime | None = None
) -> Tenant:
    """Give a workspace in trial (or whose trial expired) ``days`` more days of trial.

    The days count from the trial's end, or from now if it already ended.
    """
    if days <= 0:
        raise ValueError("days must be positive")
    now = now or timezone.now()
    with transaction.atomic():
        current = _lock(tenant)
        start = max(current.trial_ends_at or now, now)
        ends_at = start + timedelta(days=days)
        return tenant_status_set(
            tenant=tenant,
            to=Status.TRIAL,
            allowed_from=(Status.TRIAL, Status.TRIAL_EXPIRED),
            action=TenantEvent.Action.TRIAL_EXTENDED,
            actor_email=actor_email,
            data={
                "days": days,
                "trial_ends_at_before": current.trial_ends_at.isoformat() if current.trial_ends_at else None,
                "trial_ends_at": ends_at.isoformat(),
            },
            now=now,
            extra_fields={"trial_ends_at": ends_at},
        )


def tenant_change_plan(*, tenant: Tenant, plan: Plan, actor_email: str = "") -> Tenant:
    """Put a workspace on ``plan``. Limits apply to what is created from now on."""
    with transaction.atomic():
        current = _lock(tenant)
        if current.status in (Status.CLOSED, Status.TEMPLATE):
            raise StatusChangeRefused(
                current,
                _("%(workspace)s is %(status)s: its plan cannot change.")
                % {"workspace": current.name, "status": current.get_status_display()},
            )
        if current.plan_id == plan.pk:
            return tenant
        before = Plan.objects.filter(pk=current.plan_id).values_list("code", flat=True).first()
        now = timezone.now()
        Tenant.objects.filter(pk=current.pk).update(plan=plan, updated_at=now)
        tenant_event_record(
            tenant=current,
            action=TenantEvent.Action.PLAN_CHANGED,
            actor_email=actor_email,
            data={"from": before, "to": plan.code},
            now=now,
        )
    tenant.plan = plan
    tenant.updated_at = now
    return tenant


# --- Reads for the workspace's plan page ----------------------------------------------------


@dataclass(frozen=True)
class PlanOffer:
    plan: Plan
    # None: no price in the workspace's currency ("free" when the plan has no price at all).
    monthly_amount: Decimal | None
    is_free: bool
    is_current: bool


def plan_offers_for(tenant: Tenant) -> list[PlanOffer]:
    """The public plans with their monthly price in ``tenant``'s currency (two queries)."""
    plans = list(Plan.objects.filter(is_public=True).order_by("rank").prefetch_related("prices"))
    offers = []
    for plan in plans:
        prices: list[PlanPrice] = list(plan.prices.all())
        amount = next((p.monthly_amount for p in prices if p.currency == tenant.currency), None)
        offers.append(
            PlanOffer(
                plan=plan,
                monthly_amount=amount,
                is_free=not prices or amount == 0,
                is_current=plan.pk == tenant.plan_id,
            )
        )
    return offers


def support_email() -> str:
    """Where a suspended or closed workspace's people can write to."""
    return getattr(settings, "SUPPORT_EMAIL", "") or f"support@{settings.BASE_DOMAIN}"
