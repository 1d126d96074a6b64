"""Reads of the routing table (public schema: always filtered by phone-number id)."""

from django_tenants.utils import schema_context

from tenants.models import Tenant
from tenants.selectors import OPEN_STATUSES
from whatsapp_routes.models import PhoneNumberRoute


def tenant_for_phone_number_id(phone_number_id: str) -> Tenant | None:
    """The open workspace that connected ``phone_number_id``, or None (unknown, suspended, closed)."""
    if not phone_number_id:
        return None
    with schema_context("public"):
        route = (
            PhoneNumberRoute.objects.select_related("tenant")
            .filter(phone_number_id=str(phone_number_id), tenant__status__in=OPEN_STATUSES)
            .first()
        )
        return route.tenant if route else None
