"""Writes of memberships and class packs: the catalogue of offers, selling one to a student (through
inventory's sale, the one record of money in), pauses, and the check-in policy that consumes what
the student bought."""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from academy.admission import Admission, AdmissionRefused, enrolment_cover
from academy.models import ClassType, Session
from academy.services.common import workspace_zone
from accounts.permissions import Perm, require_perm
from audit.services import audit_record
from customers.models import Customer
from inventory.models import Location, PaymentMethod, Sale
from inventory.services import SaleLineInput, product_create, sale_create
from inventory.services.common import money, money_text
from memberships.exceptions import InvalidFreeze, InvalidOffer, OfferNotForSale, TrialAlreadyGiven
from memberships.models import Entitlement, EntitlementUse, Freeze, Offer

CREDIT_KINDS = (Offer.Kind.PACK, Offer.Kind.DROP_IN, Offer.Kind.TRIAL)
SINGLE_CLASS_VALID_DAYS = 30  # a drop-in or a priced trial bought today is good for a month


# --- Offers ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OfferInput:
    kind: str
    name: str
    price: Decimal
    class_types: tuple[ClassType, ...] = ()
    credits: int | None = None
    valid_days: int | None = None
    valid_from: str = Offer.ValidFrom.SALE
    weekly_limit: int | None = None
    tax_rate: Decimal = Decimal(0)


def _offer_shape(data: OfferInput) -> dict:
    """The offer's fields for its kind, or InvalidOffer naming what is missing."""
    if data.kind not in Offer.Kind.values:
        raise InvalidOffer(_("Choose what kind of offer this is."))
    name = (data.name or "").strip()
    if not name:
        raise InvalidOffer(_("Give the offer a name."))
    if money(data.price) < 0:
        raise InvalidOffer(_("A price cannot be negative."))
    shape = {"kind": data.kind, "name": name[:120], "credits": None, "valid_days": None, "weekly_limit": None}
    if data.kind == Offer.Kind.PACK:
        if not data.credits or data.credits <= 0 or not data.valid_days or data.valid_days <= 0:
            raise InvalidOffer(_("A class pack needs its number of classes and the days it is valid."))
        shape.update(credits=data.credits, valid_days=data.valid_days, valid_from=data.valid_from)
    elif data.kind in (Offer.Kind.DROP_IN, Offer.Kind.TRIAL):
        shape.update(credits=1, valid_days=data.valid_days or SINGLE_CLASS_VALID_DAYS, valid_from="sale")
    elif data.kind == Offer.Kind.MEMBERSHIP:
        if data.weekly_limit is not None and data.weekly_limit <= 0:
            raise InvalidOffer(_("Classes a week must be more than zero (or empty for unlimited)."))
        shape["weekly_limit"] = data.weekly_limit
    if shape.get("valid_from", Offer.ValidFrom.SALE) not in Offer.ValidFrom.values:
        raise InvalidOffer(_("Choose when the validity starts."))
    return shape


def offer_create(*, data: OfferInput, user) -> Offer:
    """Add an offer to the academy's catalogue, with its product (a service, no stock) so the till
    and the sale price it as any other product. OWNER or ADMIN (MANAGE_OFFERS)."""
    require_perm(user, Perm.MANAGE_OFFERS)
    shape = _offer_shape(data)
    if Offer.objects.filter(name__iexact=shape["name"]).exists():
        raise InvalidOffer(_("There is already an offer with this name."))
    with transaction.atomic():
        product = product_create(
            sku=f"OFERTA-{uuid.uuid4().hex[:10].upper()}",
            name=shape["name"],
            sale_price=money(data.price),
            tracks_stock=False,
            tax_rate=data.tax_rate,
        )
        offer = Offer.objects.create(product=product, **shape)
        offer.class_types.set(data.class_types)
        audit_record(action="memberships.offer_created", actor=user, target=offer.name)
    return offer


def offer_deactivate(*, offer: Offer, user) -> Offer:
    """Stop selling an offer (what was sold stays valid)."""
    require_perm(user, Perm.MANAGE_OFFERS)
    with transaction.atomic():
        Offer.objects.filter(pk=offer.pk).update(is_active=False)
        type(offer.product).objects.filter(pk=offer.product_id).update(is_active=False)
        audit_record(action="memberships.offer_deactivated", actor=user, target=offer.name)
    offer.refresh_from_db()
    return offer


# --- Selling to a student ----------------------------------------------------------------------


@dataclass(frozen=True)
class OfferSold:
    sale: Sale
    entitlement: Entitlement | None  # None for a registration fee (money only)


def _today() -> date:
    return timezone.localdate(timezone=workspace_zone())


def entitlement_sell(
    *,
    offer: Offer,
    student: Customer,
    location: Location,
    seller,
    payment_method: str = PaymentMethod.CASH,
    amount_tendered: Decimal | None = None,
    starts_on: date | None = None,
    request=None,
) -> OfferSold:
    """Sell ``offer`` to ``student`` at ``location``: inventory's sale (the money) and, in the same
    transaction, the entitlement it grants. A membership sold while another of the same offer runs
    starts the day after it ends (a renewal)."""
    require_perm(seller, Perm.RECORD_SALES)
    if not offer.is_active:
        raise OfferNotForSale()
    today = _today()
    with transaction.atomic():
        # One lock per student: two sales at once of a trial (or of two renewals) queue here.
        Customer.objects.select_for_update().filter(pk=student.pk).first()
        if offer.kind == Offer.Kind.TRIAL and _valid(
            Entitlement.objects.filter(student=student, kind="trial")
        ):
            raise TrialAlreadyGiven()
        sale = sale_create(
            location=location,
            seller=seller,
            lines=[SaleLineInput(product=offer.product, quantity=Decimal(1))],
            payment_method=payment_method,
            amount_tendered=amount_tendered,
            customer_name=student.full_name,
            note=_("Academy: %(offer)s") % {"offer": offer.name},
        )
        entitlement = None
        if offer.grants_classes:
            entitlement = Entitlement(
                offer=offer,
                student=student,
                sale_line=sale.lines.get(),
                kind=offer.kind,
                credits_total=offer.credits,
                weekly_limit=offer.weekly_limit,
                valid_days=offer.valid_days,
            )
            if offer.kind == Offer.Kind.MEMBERSHIP:
                running_until = (
                    _valid(Entitlement.objects.filter(student=student, offer=offer, ends_on__gte=today))
                    .order_by("-ends_on")
                    .values_list("ends_on", flat=True)
                    .first()
                )
                start = starts_on or (running_until + timedelta(days=1) if running_until else today)
                entitlement.starts_on = start
                entitlement.ends_on = start + relativedelta(months=1) - timedelta(days=1)
            elif offer.valid_from == Offer.ValidFrom.SALE:
                entitlement.starts_on = starts_on or today
                entitlement.ends_on = entitlement.starts_on + timedelta(days=offer.valid_days - 1)
            entitlement.save()
        audit_record(
            action="memberships.sold",
            actor=seller,
            request=request,
            target=student.full_name,
            data={"offer": offer.name, "sale": sale.number},
        )
    return OfferSold(sale=sale, entitlement=entitlement)


def _valid(entitlements):
    """Entitlements whose sale still stands: a voided sale or a returned line takes them away."""
    return entitlements.filter(
        sale_line__sale__status=Sale.Status.COMPLETED,
        sale_line__returned_quantity=0,
        cancelled_at__isnull=True,
    )


def entitlement_freeze(
    *, entitlement: Entitlement, starts_on: date, ends_on: date, reason: str = "", user
) -> Freeze:
    """Pause a membership from ``starts_on`` to ``ends_on`` (both included): no classes then, and the
    month ends that many days later. OWNER or ADMIN (MANAGE_OFFERS)."""
    require_perm(user, Perm.MANAGE_OFFERS)
    if entitlement.kind != Offer.Kind.MEMBERSHIP:
        raise InvalidFreeze(_("Only memberships can be paused."))
    if ends_on < starts_on:
        raise InvalidFreeze(_("The pause must end on or after the day it starts."))
    with transaction.atomic():
        locked = Entitlement.objects.select_for_update().get(pk=entitlement.pk)
        if not (locked.starts_on <= starts_on <= locked.ends_on):
            raise InvalidFreeze(_("The pause must start within the membership's month."))
        if locked.freezes.filter(starts_on__lte=ends_on, ends_on__gte=starts_on).exists():
            raise InvalidFreeze(_("This pause overlaps another one."))
        freeze = Freeze.objects.create(
            entitlement=locked, starts_on=starts_on, ends_on=ends_on, reason=(reason or "").strip()[:200]
        )
        Entitlement.objects.filter(pk=locked.pk).update(ends_on=F("ends_on") + timedelta(days=freeze.days))
        audit_record(
            action="memberships.frozen",
            actor=user,
            target=str(locked),
            data={"from": starts_on.isoformat(), "until": ends_on.isoformat()},
        )
    entitlement.refresh_from_db()
    return freeze


# --- The check-in policy -----------------------------------------------------------------------

# Why nothing covered the class, most telling first.
_REASONS = ("weekly_limit_reached", "membership_paused", "no_classes_left", "expired", "not_started")


def _week(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def _refusal_text(code: str, entitlement: Entitlement | None, session: Session) -> str:
    values = {"offer": entitlement.offer.name if entitlement else "", "class": session.academy_class.name}
    texts = {
        "weekly_limit_reached": _("%(offer)s: the classes of this week are used up."),
        "membership_paused": _("%(offer)s is paused today."),
        "no_classes_left": _("%(offer)s has no classes left."),
        "expired": _("%(offer)s has expired."),
        "not_started": _("%(offer)s has not started yet."),
        "not_enrolled": _("Nothing covers %(class)s: not enrolled, and no membership or class pack for it."),
    }
    return texts[code] % values


def offers_covering(*, class_type_id: int):
    """Active offers that would let a student into a class of this type (what to buy)."""
    return (
        Offer.objects.filter(is_active=True, kind__in=[Offer.Kind.MEMBERSHIP, *CREDIT_KINDS])
        .exclude(kind=Offer.Kind.TRIAL)
        .filter(
            Q(pk__in=Offer.objects.filter(class_types__isnull=True).values("pk"))
            | Q(class_types=class_type_id)
        )
        .select_related("product")
        .order_by("product__sale_price", "name")
    )


class EntitlementPolicy:
    """The academy's check-in asks this (registered in MembershipsConfig.ready).

    Enrolled students (their monthly tuition covers the class) and free trial bookings go in.
    Anyone else needs what they bought: a membership's week first (already paid for), then the
    class pack that expires first. The student's entitlements are locked in a stable order, so
    simultaneous scans of one student queue and the last credit is given once.
    """

    def admit(self, *, student: Customer, session: Session, now: datetime) -> Admission:
        cover = enrolment_cover(student=student, session=session)
        if cover in ("enrolled", "trial"):
            return Admission()
        day = timezone.localtime(session.starts_at, workspace_zone()).date()
        class_type_id = session.academy_class.class_type_id
        covering = Offer.objects.filter(
            Q(class_types__isnull=True) | Q(class_types=class_type_id),
            kind__in=[Offer.Kind.MEMBERSHIP, *CREDIT_KINDS],
        ).values("pk")
        entitlements = list(
            _valid(Entitlement.objects.filter(student=student, offer__in=covering))
            .select_for_update(of=("self",))
            .select_related("offer")
            .order_by("pk")
        )
        taken = (
            EntitlementUse.objects.filter(session=session, student=student)
            .select_related("entitlement__offer")
            .first()
        )
        if taken is not None:  # marked absent after a check-in, then scanned again: already paid
            return Admission(note=taken.entitlement.offer.name)
        reasons: dict[str, Entitlement] = {}
        memberships = [e for e in entitlements if e.kind == Offer.Kind.MEMBERSHIP]
        for entitlement in memberships:
            code = self._membership_refusal(entitlement, day)
            if code is None:
                return self._use(entitlement, session, student, day)
            reasons.setdefault(code, entitlement)
        credits = sorted(
            (e for e in entitlements if e.kind != Offer.Kind.MEMBERSHIP),
            key=lambda e: (e.ends_on is None, e.ends_on or day, e.pk),
        )
        for entitlement in credits:
            code = self._credit_refusal(entitlement, day)
            if code is None:
                return self._use(entitlement, session, student, day)
            reasons.setdefault(code, entitlement)
        code = next((code for code in _REASONS if code in reasons), "not_enrolled")
        message = _refusal_text(code, reasons.get(code), session)
        options = list(offers_covering(class_type_id=class_type_id)[:3])
        if options:
            message += " " + _("You can buy: %(offers)s.") % {
                "offers": ", ".join(f"{offer.name} ({money_text(offer.price)})" for offer in options)
            }
        raise AdmissionRefused(message, code=code)

    @staticmethod
    def _membership_refusal(entitlement: Entitlement, day: date) -> str | None:
        if day < entitlement.starts_on:
            return "not_started"
        if day > entitlement.ends_on:
            return "expired"
        if entitlement.freezes.filter(starts_on__lte=day, ends_on__gte=day).exists():
            return "membership_paused"
        if entitlement.weekly_limit is not None:
            monday, sunday = _week(day)
            used = entitlement.uses.filter(session_date__range=(monday, sunday)).count()
            if used >= entitlement.weekly_limit:
                return "weekly_limit_reached"
        return None

    @staticmethod
    def _credit_refusal(entitlement: Entitlement, day: date) -> str | None:
        if entitlement.credits_used >= entitlement.credits_total:
            return "no_classes_left"
        if entitlement.starts_on and day < entitlement.starts_on:
            return "not_started"
        if entitlement.ends_on and day > entitlement.ends_on:
            return "expired"
        return None

    @staticmethod
    def _use(entitlement: Entitlement, session: Session, student: Customer, day: date) -> Admission:
        EntitlementUse.objects.create(
            entitlement=entitlement, session=session, student=student, session_date=day
        )
        if entitlement.credits_total is None:
            return Admission(note=entitlement.offer.name)
        # The pack's clock starts at its first class when it is valid from the first use.
        Entitlement.objects.filter(pk=entitlement.pk).update(
            credits_used=F("credits_used") + 1,
            starts_on=Coalesce(F("starts_on"), day),
            ends_on=Coalesce(F("ends_on"), day + timedelta(days=(entitlement.valid_days or 1) - 1)),
        )
        left = entitlement.credits_total - entitlement.credits_used - 1
        return Admission(
            note=_("%(offer)s: %(left)s classes left.") % {"offer": entitlement.offer.name, "left": left}
        )
