"""Tuition tasks. Sent from inside a workspace, a task runs in that workspace's schema
(tenant-schemas-celery); all are safe to run twice."""

from datetime import date

from celery import shared_task
from django.db import connection

from fees.emails import reminders_send
from fees.services import tuition_run, tuition_run_due
from tenants.models import Tenant
from tenants.services import workspace_url


@shared_task
def tuition_run_due_task() -> int | None:
    """The beat's daily look (per workspace): this month's tuition once the billing day has come."""
    if getattr(connection.tenant, "kind", "") != Tenant.Kind.ACADEMY:
        return None
    run = tuition_run_due()
    return run.charges_created if run else None


@shared_task
def tuition_run_task(period: str) -> int:
    """Run (or resume) one month's tuition, ``period`` as YYYY-MM-DD."""
    return tuition_run(period=date.fromisoformat(period)).charges_created


@shared_task
def reminders_send_task() -> int | None:
    """The beat's daily payment reminders (per academy workspace)."""
    tenant = connection.tenant
    if getattr(tenant, "kind", "") != Tenant.Kind.ACADEMY:
        return None
    return reminders_send(base_url=workspace_url(tenant).rstrip("/"))
