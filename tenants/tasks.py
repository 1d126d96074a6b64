"""Background and periodic work: the per-workspace fan-out, and the life of an account (trial
expiry, purge of closed workspaces, data exports)."""

from datetime import datetime

from celery import current_app, shared_task
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import User
from tenants.confirmation import workspace_purge_unconfirmed
from tenants.data_rights import (
    data_export_build,
    data_export_purge_expired,
    data_exports_reap_stalled,
    workspace_purge_closed,
)
from tenants.lifecycle import tenant_expire_trials
from tenants.selectors import tenant_list_active


@shared_task
def for_each_active_tenant(task_name: str, *args) -> list[str]:
    """Send ``task_name`` once per active workspace; each copy runs in that workspace's schema.

    A failure in one workspace's copy does not stop the others: they are separate tasks.
    """
    schemas = list(tenant_list_active().values_list("schema_name", flat=True))
    for schema_name in schemas:
        with schema_context(schema_name):
            current_app.send_task(task_name, args=args)
    return schemas


@shared_task
def clear_expired_sessions() -> int:
    """Delete this workspace's expired sessions; safe to run twice."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@shared_task
def workspace_probe() -> dict:
    """Report the schema this task ran in and what it sees there (used by the health checks)."""
    return {"schema": connection.schema_name, "users": User.objects.count()}


# --- Life of an account (public schema unless said otherwise) ---------------------------------


def _moment(now: datetime | str | None) -> datetime:
    """``now`` as given by a test or a manual run (datetime or ISO text), else the clock."""
    if now is None:
        return timezone.now()
    moment = datetime.fromisoformat(now) if isinstance(now, str) else now
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


@shared_task
def expire_trials(now: datetime | str | None = None) -> list[str]:
    """Move workspaces whose trial ended to "trial expired"; safe to run twice."""
    return [tenant.slug for tenant in tenant_expire_trials(now=_moment(now))]


@shared_task
def purge_closed_workspaces(now: datetime | str | None = None) -> list[str]:
    """Drop the schemas of closed workspaces whose grace period is over; safe to run twice."""
    return [deletion.tenant_slug for deletion in workspace_purge_closed(now=_moment(now))]


@shared_task
def purge_expired_exports(now: datetime | str | None = None) -> int:
    """Delete data exports (and their files) past their retention; safe to run twice."""
    return data_export_purge_expired(now=_moment(now))


# Acknowledged when done: if the worker dies mid-build the broker hands the task to another
# worker, which builds the export again once its heartbeat has stopped.
@shared_task(acks_late=True, reject_on_worker_lost=True)
def build_data_export(export_id: int) -> str | None:
    """Build one data export; runs in the workspace's schema it was sent from."""
    export = data_export_build(export_id=export_id)
    return export.status if export is not None else None


@shared_task
def purge_unconfirmed_workspaces(now: datetime | str | None = None) -> list[str]:
    """Drop workspaces whose signup was not confirmed within 48 hours; safe to run twice."""
    return workspace_purge_unconfirmed(now=_moment(now))


@shared_task
def reap_stalled_exports(now: datetime | str | None = None) -> list[int]:
    """Mark failed the exports whose worker stopped (no heartbeat), with the reason; safe to run twice."""
    return data_exports_reap_stalled(now=_moment(now))
