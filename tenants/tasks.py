"""Periodic work, run once per active workspace, inside that workspace's schema."""

from celery import shared_task
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import User
from config.celery import app
from tenants.selectors import tenant_list_active


@shared_task
def for_each_active_tenant(task_name: str, *args) -> list[str]:
    """Send ``task_name`` once per active workspace; each copy runs in that workspace's schema.

    A failure in one workspace's copy does not stop the others: they are separate tasks.
    """
    schemas = list(tenant_list_active().values_list("schema_name", flat=True))
    for schema_name in schemas:
        with schema_context(schema_name):
            app.send_task(task_name, args=args)
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
