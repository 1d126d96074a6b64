"""Reads of workspaces."""

from django.db import connection
from django.db.models import QuerySet
from django_tenants.utils import get_public_schema_name

from tenants.models import Tenant

# Workspaces that are open for business (periodic work runs for these).
OPEN_STATUSES = (Tenant.Status.TRIAL, Tenant.Status.ACTIVE, Tenant.Status.TRIAL_EXPIRED)


def tenant_list_active() -> QuerySet[Tenant]:
    """Every business workspace that is not suspended or closed, public schema excluded."""
    return (
        Tenant.objects.exclude(schema_name=get_public_schema_name())
        .filter(status__in=OPEN_STATUSES)
        .order_by("schema_name")
    )


def tenant_current() -> Tenant | None:
    """The workspace whose schema is active on the connection (None on the public schema).

    ``schema_context`` puts a stand-in tenant on the connection; this reads the real row.
    """
    if connection.schema_name == get_public_schema_name():
        return None
    tenant = getattr(connection, "tenant", None)
    if isinstance(tenant, Tenant) and tenant.pk:
        return tenant
    return Tenant.objects.select_related("plan").filter(schema_name=connection.schema_name).first()
