"""Writes of the routing table: kept in sync by messaging when a number connects or disconnects."""

from django.db import transaction
from django_tenants.utils import schema_context

from tenants.models import Tenant
from whatsapp_routes.exceptions import NumberTakenElsewhere
from whatsapp_routes.models import PhoneNumberRoute


def route_set(*, tenant: Tenant, phone_number_id: str) -> PhoneNumberRoute:
    """Point ``phone_number_id`` at ``tenant`` (replacing the workspace's previous number).

    Refused when another workspace already has that number: an id routes to one workspace only.
    """
    with schema_context("public"), transaction.atomic():
        taken = (
            PhoneNumberRoute.objects.select_for_update()
            .filter(phone_number_id=phone_number_id)
            .exclude(tenant_id=tenant.pk)
            .exists()
        )
        if taken:
            raise NumberTakenElsewhere()
        route, _created = PhoneNumberRoute.objects.update_or_create(
            tenant_id=tenant.pk, defaults={"phone_number_id": phone_number_id}
        )
        return route


def route_clear(*, tenant: Tenant) -> int:
    """Forget the workspace's number: its webhooks are no longer delivered anywhere."""
    with schema_context("public"):
        deleted, _details = PhoneNumberRoute.objects.filter(tenant_id=tenant.pk).delete()
        return deleted
