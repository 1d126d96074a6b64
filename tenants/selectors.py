"""Reads of workspaces."""

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
