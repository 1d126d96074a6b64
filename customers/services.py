"""Writes of customers: each function owns its transaction and is audited."""

from dataclasses import dataclass, field, fields
from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from customers.exceptions import DuplicateCustomer, InvalidGuardian
from customers.models import ConsentSource, Customer, Family
from customers.phones import phone_normalize
from customers.selectors import customer_duplicates

ADULT_AGE = 18


@dataclass
class CustomerInput:
    """What a person gives at the front desk, in a form, an import or the API."""

    full_name: str
    document_type: str = Customer.DocumentType.CC
    document_number: str = ""
    email: str = ""
    phone: str = ""
    birth_date: date | None = None
    notes: str = ""
    tags: list[str] = field(default_factory=list)
    guardian: Customer | None = None
    family: Family | None = None
    marketing_email_consent: bool = False
    marketing_email_consent_source: str = ""
    whatsapp_consent: bool = False
    whatsapp_consent_source: str = ""


def _workspace_region() -> str:
    """Numbers typed without +country are read as numbers of the business's country."""
    return getattr(getattr(connection, "tenant", None), "country", "") or "CO"


def _clean(data: CustomerInput, *, customer: Customer | None) -> CustomerInput:
    data.full_name = " ".join((data.full_name or "").split())
    if not data.full_name:
        raise ValidationError({"full_name": _("This field is required.")})
    data.document_number = "".join((data.document_number or "").split()).upper()
    data.email = (data.email or "").strip().lower()
    try:
        data.phone = phone_normalize(data.phone, region=_workspace_region())
    except ValidationError as error:
        raise ValidationError({"phone": error.messages}) from error
    data.tags = sorted({tag.strip().lower() for tag in data.tags or [] if tag.strip()})
    for name in ("marketing_email_consent_source", "whatsapp_consent_source"):
        if getattr(data, name) and getattr(data, name) not in ConsentSource.values:
            raise ValidationError({name: _("Choose how the consent was given.")})
    today = timezone.localdate()
    if data.birth_date and data.birth_date > today:
        raise ValidationError({"birth_date": _("The birth date cannot be in the future.")})
    if data.guardian is not None:
        if customer is not None and data.guardian.pk == customer.pk:
            raise InvalidGuardian(_("A customer cannot be their own guardian."))
        if data.guardian.guardian_id is not None:
            raise InvalidGuardian(
                _("%(name)s has a guardian themselves and cannot be one.") % {"name": data.guardian.full_name}
            )
    is_minor = data.birth_date is not None and _age(data.birth_date, today) < ADULT_AGE
    if is_minor and data.guardian is None:
        raise InvalidGuardian(_("A minor needs a guardian: choose or register the adult responsible first."))
    return data


def _age(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _consent_stamps(customer: Customer, data: CustomerInput, now) -> None:
    """Record when and how each consent was given; withdrawing clears both."""
    for prefix in ("marketing_email_consent", "whatsapp_consent"):
        given = getattr(data, prefix)
        was_given = getattr(customer, prefix)
        source = getattr(data, f"{prefix}_source")
        if given and not was_given:
            setattr(customer, f"{prefix}_at", now)
            setattr(customer, f"{prefix}_source", source or "in_person")
        elif given and source:
            setattr(customer, f"{prefix}_source", source)
        elif not given:
            setattr(customer, f"{prefix}_at", None)
            setattr(customer, f"{prefix}_source", "")
        setattr(customer, prefix, given)


_PLAIN_FIELDS = [
    f.name
    for f in fields(CustomerInput)
    if f.name not in {"marketing_email_consent_source", "whatsapp_consent_source"}
    and not f.name.endswith("consent")
]


def _check_duplicates(data: CustomerInput, *, exclude_id: int | None, allow_duplicate: bool) -> None:
    duplicates = customer_duplicates(
        document_type=data.document_type,
        document_number=data.document_number,
        email=data.email,
        phone=data.phone,
        exclude_id=exclude_id,
    )
    # A document belongs to one person: always refused. A shared email or phone (a family's) may
    # be confirmed by the user.
    blocking = [d for d in duplicates if d.reason == "document" or not allow_duplicate]
    if blocking:
        raise DuplicateCustomer(blocking)


def customer_create(
    *, data: CustomerInput, user=None, request=None, allow_duplicate: bool = False
) -> Customer:
    """Register a person. Refused when another customer has the same document, or the same email
    or phone unless ``allow_duplicate`` (the user confirmed it is someone else)."""
    data = _clean(data, customer=None)
    with transaction.atomic():
        _check_duplicates(data, exclude_id=None, allow_duplicate=allow_duplicate)
        customer = Customer(**{name: getattr(data, name) for name in _PLAIN_FIELDS})
        _consent_stamps(customer, data, timezone.now())
        customer.save()
        audit_record(
            action="customer.created",
            actor=user,
            request=request,
            target=customer.full_name,
            data={"customer_id": customer.pk},
        )
    return customer


def customer_update(
    *, customer: Customer, data: CustomerInput, user=None, request=None, allow_duplicate: bool = False
) -> Customer:
    data = _clean(data, customer=customer)
    with transaction.atomic():
        customer = Customer.objects.select_for_update().get(pk=customer.pk)
        _check_duplicates(data, exclude_id=customer.pk, allow_duplicate=allow_duplicate)
        for name in _PLAIN_FIELDS:
            setattr(customer, name, getattr(data, name))
        _consent_stamps(customer, data, timezone.now())
        customer.save()
        audit_record(
            action="customer.updated",
            actor=user,
            request=request,
            target=customer.full_name,
            data={"customer_id": customer.pk},
        )
    return customer


def customer_deactivate(*, customer: Customer, user=None, request=None) -> Customer:
    with transaction.atomic():
        Customer.objects.filter(pk=customer.pk).update(is_active=False, updated_at=timezone.now())
        audit_record(
            action="customer.deactivated",
            actor=user,
            request=request,
            target=customer.full_name,
            data={"customer_id": customer.pk},
        )
    customer.refresh_from_db()
    return customer


def family_create(*, name: str, members: list[Customer] = (), user=None, request=None) -> Family:
    """A family named ``name`` grouping ``members`` (each leaves any family it was in)."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("This field is required.")})
    with transaction.atomic():
        family = Family.objects.create(name=name)
        Customer.objects.filter(pk__in=[m.pk for m in members]).update(family=family)
        audit_record(
            action="family.created",
            actor=user,
            request=request,
            target=name,
            data={"family_id": family.pk, "members": [m.pk for m in members]},
        )
    return family
