"""Nightly backups: one task per workspace, each followed by retention."""

from celery import current_app, shared_task
from django.db import connection
from django_tenants.utils import get_public_schema_name

from backups.services import backup_create, backups_prune
from tenants.models import Tenant
from tenants.selectors import OPEN_STATUSES

# Suspended workspaces are still somebody's data: they are backed up too (closed ones are not:
# they were backed up until closed and wait for their purge).
BACKED_UP_STATUSES = (*OPEN_STATUSES, Tenant.Status.SUSPENDED)


@shared_task
def backup_all_workspaces() -> list[int]:
    """Send one backup task per workspace (public schema); safe to run twice."""
    ids = list(
        Tenant.objects.filter(status__in=BACKED_UP_STATUSES)
        .exclude(schema_name=get_public_schema_name())
        .order_by("schema_name")
        .values_list("id", flat=True)
    )
    for tenant_id in ids:
        current_app.send_task("backups.tasks.backup_workspace", args=(tenant_id,))
    return ids


@shared_task
def backup_workspace(tenant_id: int) -> int | None:
    """Back up one workspace, then drop what retention no longer keeps."""
    connection.set_schema_to_public()
    tenant = Tenant.objects.filter(pk=tenant_id).first()
    if tenant is None:
        return None
    backup = backup_create(tenant=tenant)
    backups_prune(tenant_slug=tenant.slug)
    return backup.pk
