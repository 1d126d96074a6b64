"""Reads of customers, scoped by permission: one error (CustomerNotFound) for missing and forbidden."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from accounts.permissions import Perm, has_perm
from customers.exceptions import CustomerNotFound
from customers.models import Customer, Family


@dataclass(frozen=True)
class Duplicate:
    customer: Customer
    reason: str  # "document", "email" or "phone"

    @property
    def reason_text(self) -> str:
        return {
            "document": _("same document"),
            "email": _("same email"),
            "phone": _("same phone"),
        }[self.reason]


def _as_id(value) -> int | None:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


def customer_list(*, user, search: str = "", tag: str = "", active: bool | None = True) -> QuerySet:
    """Customers the user may see, filtered (the one vocabulary of the list, the export and the API)."""
    if not has_perm(user, Perm.VIEW_CUSTOMERS):
        return Customer.objects.none()
    rows = Customer.objects.select_related("guardian", "family").search(search).tagged(tag)
    if active is not None:
        rows = rows.filter(is_active=active)
    return rows


def customer_get(*, customer_id, user) -> Customer:
    customer_pk = _as_id(customer_id)
    if customer_pk is None or not has_perm(user, Perm.VIEW_CUSTOMERS):
        raise CustomerNotFound()
    customer = (
        Customer.objects.select_related("guardian", "family")
        .annotate(ward_count=Count("wards"))
        .filter(pk=customer_pk)
        .first()
    )
    if customer is None:
        raise CustomerNotFound()
    return customer


def customer_wards(*, customer: Customer) -> QuerySet:
    return Customer.objects.filter(guardian=customer).order_by("full_name")


def customer_family_members(*, customer: Customer) -> QuerySet:
    if customer.family_id is None:
        return Customer.objects.none()
    return Customer.objects.filter(family_id=customer.family_id).exclude(pk=customer.pk)


def family_list() -> QuerySet:
    return Family.objects.annotate(member_count=Count("members")).order_by("name")


def customer_duplicates(
    *,
    document_type: str = "",
    document_number: str = "",
    email: str = "",
    phone: str = "",
    exclude_id: int | None = None,
) -> list[Duplicate]:
    """Customers with the same document, email (any case) or phone (E.164), strongest reason first."""
    condition = Q()
    if document_number:
        condition |= Q(document_type=document_type, document_number=document_number)
    if email:
        condition |= Q(email__iexact=email)
    if phone:
        condition |= Q(phone=phone)
    if not condition:
        return []
    rows = Customer.objects.filter(condition)
    if exclude_id is not None:
        rows = rows.exclude(pk=exclude_id)
    found = []
    for customer in rows.order_by("full_name")[:10]:
        if document_number and (customer.document_type, customer.document_number) == (
            document_type,
            document_number,
        ):
            reason = "document"
        elif email and customer.email.lower() == email.lower():
            reason = "email"
        else:
            reason = "phone"
        found.append(Duplicate(customer, reason))
    return found
