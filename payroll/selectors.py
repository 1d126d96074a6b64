"""Reads of teacher payroll, scoped: owners and admins see every statement, a teacher only their
own; one error (AcademyNotFound) for missing and forbidden."""

from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from academy.exceptions import AcademyNotFound
from academy.models import Attendance, Session
from academy.services.common import local_datetime
from accounts.permissions import Perm, has_perm
from fees.models import Charge
from fees.services import charges_with_open_amount
from inventory.models import Sale
from memberships.models import Entitlement, EntitlementUse, Offer
from payroll.models import PayrollLine, PayrollStatement
from payroll.services import session_revenue

ZERO = Decimal(0)


def _as_id(value) -> int | None:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


def statement_list(*, user) -> QuerySet:
    rows = PayrollStatement.objects.select_related("teacher", "expense")
    if has_perm(user, Perm.MANAGE_PAYROLL):
        return rows
    if has_perm(user, Perm.VIEW_OWN_PAYROLL):
        return rows.filter(teacher__user=user)
    return rows.none()


def statement_get(*, statement_id, user) -> PayrollStatement:
    statement = (
        statement_list(user=user)
        .prefetch_related("lines__session__academy_class", "lines__rule")
        .filter(pk=_as_id(statement_id) or 0)
        .first()
    )
    if statement is None:
        raise AcademyNotFound()
    return statement


# --- Profit per class and per offer ------------------------------------------------------------


@dataclass
class ClassProfit:
    name: str
    sessions: int = 0
    attendees: int = 0
    credit_revenue: Decimal = ZERO
    tuition_revenue: Decimal = ZERO
    teacher_pay: Decimal = ZERO

    @property
    def revenue(self) -> Decimal:
        return self.credit_revenue + self.tuition_revenue

    @property
    def profit(self) -> Decimal:
        return self.revenue - self.teacher_pay


def class_profit(*, start: date, end: date) -> list[ClassProfit]:
    """Per class over ``start``–``end``: revenue recognised from the packs and memberships used in
    its sessions, plus the tuition charged for the months that start in the period (less credit
    notes), minus the teacher pay on payroll statement lines of its sessions."""
    sessions = list(
        Session.objects.filter(
            status=Session.Status.SCHEDULED,
            starts_at__gte=local_datetime(start, time(0, 0)),
            starts_at__lt=local_datetime(end + timedelta(days=1), time(0, 0)),
            ends_at__lte=timezone.now(),
        )
        .select_related("academy_class")
        .annotate(
            attendees=Count(
                "attendances",
                filter=Q(attendances__status__in=[Attendance.Status.PRESENT, Attendance.Status.LATE]),
            )
        )
    )
    rows: dict[int, ClassProfit] = {}
    for session in sessions:
        row = rows.setdefault(session.academy_class_id, ClassProfit(name=session.academy_class.name))
        row.sessions += 1
        row.attendees += session.attendees
    by_session = {session.pk: session.academy_class_id for session in sessions}
    for session_id, amount in session_revenue(sessions).items():
        rows[by_session[session_id]].credit_revenue += amount
    tuition = charges_with_open_amount(
        Charge.objects.filter(kind=Charge.Kind.TUITION, period__gte=start, period__lte=end)
    ).values("enrolment__academy_class_id", "enrolment__academy_class__name", "amount", "credited")
    for charge in tuition:
        class_id = charge["enrolment__academy_class_id"]
        row = rows.setdefault(class_id, ClassProfit(name=charge["enrolment__academy_class__name"]))
        row.tuition_revenue += charge["amount"] - charge["credited"]
    pay = (
        PayrollLine.objects.filter(session_id__in=by_session)
        .values("session__academy_class_id")
        .annotate(total=Sum("amount"))
    )
    for line in pay:
        rows[line["session__academy_class_id"]].teacher_pay += line["total"]
    return sorted(rows.values(), key=lambda row: (-row.profit, row.name))


@dataclass
class OfferFigures:
    name: str
    kind: str
    sold: int
    sales_total: Decimal
    classes_taken: int


def offer_figures(*, start: date, end: date) -> list[OfferFigures]:
    """Per offer over the period: how many were sold and for how much (voided sales and returned
    lines left out), and how many classes were taken on it."""
    begin, finish = local_datetime(start, time(0, 0)), local_datetime(end + timedelta(days=1), time(0, 0))
    sold = {
        row["offer"]: row
        for row in Entitlement.objects.filter(
            sale_line__sale__status=Sale.Status.COMPLETED,
            sale_line__returned_quantity=0,
            sale_line__sale__created_at__gte=begin,
            sale_line__sale__created_at__lt=finish,
        )
        .values("offer")
        .annotate(n=Count("pk"), total=Sum("sale_line__total"))
    }
    taken = dict(
        EntitlementUse.objects.filter(session_date__range=(start, end))
        .values("entitlement__offer")
        .annotate(n=Count("pk"))
        .values_list("entitlement__offer", "n")
    )
    figures = []
    for offer in Offer.objects.order_by("kind", "name"):
        row = sold.get(offer.pk, {})
        if row or taken.get(offer.pk):
            figures.append(
                OfferFigures(
                    offer.name,
                    offer.get_kind_display(),
                    row.get("n", 0),
                    row.get("total") or ZERO,
                    taken.get(offer.pk, 0),
                )
            )
    return figures
