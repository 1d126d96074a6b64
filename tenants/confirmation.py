"""Email confirmation of a self-service signup.

A new workspace stays "unconfirmed" (no trial, nothing usable, no welcome email) until its owner
follows the signed link mailed to the signup address. The link carries the workspace's id and the
address, signed with SECRET_KEY (django.core.signing), and is good for UNCONFIRMED_PURGE_AFTER:
past that, the beat task ``purge_unconfirmed_workspaces`` drops the schema.

Our own signed link rather than allauth's email confirmation: allauth's lives in each workspace's
schema and confirms an address of a user; here the subject is the workspace (public schema), and
the one-time sign-in link (accounts.login_links) already lands the owner signed in.
"""

import logging
from datetime import datetime, timedelta

from celery import current_app
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context

from accounts.login_links import login_token_create
from accounts.models import User
from plans.models import Plan
from tenants.lifecycle import tenant_event_record, tenant_status_set
from tenants.models import Tenant, TenantEvent
from tenants.services import TRIAL_DAYS

logger = logging.getLogger(__name__)

UNCONFIRMED_PURGE_AFTER = timedelta(hours=48)
_SALT = "tenants.confirmation"
WELCOME_TASK = "tenants.emails.send_welcome_email"
CONFIRMATION_TASK = "tenants.emails.send_signup_confirmation"

Status = Tenant.Status


def confirmation_token(tenant: Tenant) -> str:
    """The signed token of ``tenant``'s confirmation link (its id and its contact address)."""
    return signing.dumps({"t": tenant.pk, "e": tenant.email.lower()}, salt=_SALT, compress=True)


def confirmation_tenant_id(token: str, *, max_age: timedelta = UNCONFIRMED_PURGE_AFTER) -> int | None:
    """The workspace id a token was made for, or None (forged, damaged or too old)."""
    try:
        data = signing.loads(token, salt=_SALT, max_age=max_age)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    tenant_id = data.get("t") if isinstance(data, dict) else None
    return tenant_id if isinstance(tenant_id, int) else None


def tenant_confirm(*, tenant: Tenant, token: str) -> str | None:
    """Confirm ``tenant`` with ``token``: start its trial, queue the welcome email after commit,
    and return the path of a one-time sign-in link for its owner.

    None when the token is not ``tenant``'s. Following the link again (the workspace already
    confirmed) returns a fresh sign-in path and changes nothing else: safe to click twice.
    """
    if confirmation_tenant_id(token) != tenant.pk:
        return None
    with transaction.atomic(durable=True):
        current = Tenant.objects.select_for_update().get(pk=tenant.pk)
        if current.status == Status.UNCONFIRMED:
            plan = Plan.objects.filter(pk=current.plan_id).first()
            trial_days = plan.trial_days if plan else TRIAL_DAYS
            now = timezone.now()
            tenant_status_set(
                tenant=current,
                to=Status.TRIAL,
                allowed_from=(Status.UNCONFIRMED,),
                action=TenantEvent.Action.CONFIRMED,
                actor_email=current.email,
                now=now,
                extra_fields={"trial_ends_at": now + timedelta(days=trial_days)},
            )
            # By name: tenants.emails builds the confirmation link from this module.
            transaction.on_commit(lambda: current_app.signature(WELCOME_TASK, args=(current.pk,)).delay())
        with schema_context(current.schema_name):
            owner = User.objects.filter(email=current.email.lower(), role=User.Role.OWNER).first()
            if owner is None:
                return "/accounts/login/"
            raw = login_token_create(user=owner)
    tenant.status = current.status
    tenant.trial_ends_at = current.trial_ends_at
    return f"/team/welcome/{raw}/"


def workspace_purge_unconfirmed(*, now: datetime | None = None) -> list[str]:
    """Drop every workspace still unconfirmed UNCONFIRMED_PURGE_AFTER after its signup.

    Idempotent; each workspace in its own transaction (a failure does not stop the others).
    Returns the subdomains purged.
    """
    now = now or timezone.now()
    due = list(
        Tenant.objects.filter(status=Status.UNCONFIRMED, created_at__lte=now - UNCONFIRMED_PURGE_AFTER)
        .order_by("created_at")
        .values_list("pk", flat=True)
    )
    purged = []
    for tenant_id in due:
        try:
            with schema_context(get_public_schema_name()), transaction.atomic():
                tenant = (
                    Tenant.objects.select_for_update(skip_locked=True)
                    .filter(pk=tenant_id, status=Status.UNCONFIRMED)
                    .exclude(schema_name__in=(get_public_schema_name(), ""))
                    .first()
                )
                if tenant is None:
                    continue
                tenant_event_record(
                    tenant=tenant, action=TenantEvent.Action.PURGED, data={"reason": "unconfirmed"}, now=now
                )
                tenant.delete(force_drop=True)  # DROP SCHEMA ... CASCADE, then the row and its domains
        except Exception:
            logger.exception("purging unconfirmed workspace %s failed", tenant_id)
            continue
        purged.append(tenant.slug)
    return purged
