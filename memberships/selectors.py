"""Reads of memberships and class packs, scoped by permission: one error (AcademyNotFound) for
missing and forbidden."""

from django.db.models import Count, Q, QuerySet

from academy.exceptions import AcademyNotFound
from accounts.permissions import Perm, has_perm
from customers.models import Customer
from inventory.models import Sale
from memberships.models import Entitlement, Offer


def _as_id(value) -> int | None:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


def offer_list(*, active_only: bool = False) -> QuerySet:
    """The catalogue of offers with the number of students holding one now."""
    rows = (
        Offer.objects.select_related("product")
        .prefetch_related("class_types")
        .annotate(
            sold_count=Count(
                "entitlements", filter=Q(entitlements__sale_line__sale__status=Sale.Status.COMPLETED)
            )
        )
        .order_by("-is_active", "kind", "name")
    )
    return rows.filter(is_active=True) if active_only else rows


def offer_get(*, offer_id, user) -> Offer:
    if not has_perm(user, Perm.MANAGE_OFFERS):
        raise AcademyNotFound()
    offer = offer_list().filter(pk=_as_id(offer_id) or 0).first()
    if offer is None:
        raise AcademyNotFound()
    return offer


def student_for_offers(*, student_id, user) -> Customer:
    """A student whose memberships and packs the user may see: who sells (the front desk) or who
    manages offers."""
    if not has_perm(user, Perm.VIEW_CUSTOMERS) or not (
        has_perm(user, Perm.RECORD_SALES) or has_perm(user, Perm.MANAGE_OFFERS)
    ):
        raise AcademyNotFound()
    student = Customer.objects.filter(pk=_as_id(student_id) or 0).first()
    if student is None:
        raise AcademyNotFound()
    return student


def entitlement_list(*, student: Customer) -> QuerySet:
    """Everything a student bought that grants classes, newest first, with its sale and pauses."""
    return (
        Entitlement.objects.filter(student=student)
        .select_related("offer", "sale_line__sale")
        .prefetch_related("freezes")
        .annotate(classes_taken=Count("uses"))
        .order_by("-created_at", "-pk")
    )


def entitlement_get(*, entitlement_id, user) -> Entitlement:
    if not has_perm(user, Perm.MANAGE_OFFERS):
        raise AcademyNotFound()
    entitlement = (
        Entitlement.objects.select_related("offer", "student", "sale_line__sale")
        .filter(pk=_as_id(entitlement_id) or 0)
        .first()
    )
    if entitlement is None:
        raise AcademyNotFound()
    return entitlement


def entitlement_is_standing(entitlement: Entitlement) -> bool:
    """False when its sale was voided or the line returned (the entitlement no longer counts)."""
    line = entitlement.sale_line
    return line.sale.status == Sale.Status.COMPLETED and line.returned_quantity == 0
