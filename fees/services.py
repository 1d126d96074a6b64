"""Writes of tuition and family accounts: class fees, the monthly tuition run, credit notes and
payments. Charges are immutable; receipts and credit notes take gap-free numbers."""

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.db.models import DecimalField, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from academy.models import AcademyClass, Enrolment
from academy.services.common import workspace_zone
from accounts.permissions import Perm, require_perm
from audit.services import audit_record
from customers.models import Customer
from fees.accounts import Account, account_of
from fees.exceptions import AllocationTooLarge, InvalidAmount
from fees.models import (
    Charge,
    ClassFee,
    CreditNote,
    FeeSettings,
    Payment,
    PaymentAllocation,
    ReminderOptOut,
    TuitionRun,
)
from inventory.models import PaymentMethod
from inventory.services.common import document_number_next, money, money_text

ZERO = Decimal(0)
HUNDRED = Decimal(100)
RECEIPT = "academy_receipt"
CREDIT_NOTE = "academy_credit_note"


def fee_settings() -> FeeSettings:
    settings, _created = FeeSettings.objects.get_or_create(pk=1)
    return settings


def fee_settings_update(
    *,
    billing_day: int,
    due_days: int,
    sibling_discount_percent: Decimal,
    registration_fee: Decimal,
    user,
) -> FeeSettings:
    """Change the academy's billing rules (from the next run on)."""
    require_perm(user, Perm.MANAGE_FEES)
    if not 1 <= billing_day <= 28 or due_days < 0 or not 0 <= sibling_discount_percent <= 100:
        raise InvalidAmount(_("Billing day 1 to 28, days to pay from 0, discount 0 to 100%."))
    if money(registration_fee) < 0:
        raise InvalidAmount(_("A price cannot be negative."))
    with transaction.atomic():
        rules = fee_settings()
        rules.billing_day, rules.due_days = billing_day, due_days
        rules.sibling_discount_percent, rules.registration_fee = (
            sibling_discount_percent,
            money(registration_fee),
        )
        rules.save()
        audit_record(action="fees.settings_changed", actor=user, target=str(rules))
    return rules


def class_fee_set(*, academy_class: AcademyClass, monthly_amount: Decimal, user) -> ClassFee:
    """Set a class's monthly tuition (from the next run on; charges already made stay)."""
    require_perm(user, Perm.MANAGE_FEES)
    amount = money(monthly_amount)
    if amount < 0:
        raise InvalidAmount(_("A price cannot be negative."))
    with transaction.atomic():
        fee, _created = ClassFee.objects.update_or_create(
            academy_class=academy_class, defaults={"monthly_amount": amount}
        )
        audit_record(
            action="fees.class_fee_set", actor=user, target=academy_class.name, data={"amount": str(amount)}
        )
    return fee


# --- The monthly tuition run --------------------------------------------------------------------


def month_start(day: date) -> date:
    return day.replace(day=1)


def prorated(amount: Decimal, *, period: date, enrolled_on: date) -> Decimal:
    """The month's tuition for a student enrolled on ``enrolled_on``: whole when enrolled before
    the month, else the share of the month's days from that day on (the first month)."""
    if enrolled_on <= period:
        return money(amount)
    days = calendar.monthrange(period.year, period.month)[1]
    return money(amount * (days - enrolled_on.day + 1) / days)


def _discount(gross: Decimal, percent: Decimal) -> Decimal:
    return (gross * percent / HUNDRED).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def tuition_run(*, period: date, user=None) -> TuitionRun:
    """Create the month's tuition charges, account by account (safe to retry or to run twice at
    once: a charge per enrolment and month is unique in the database, so a second run skips what
    the first made, and an interrupted run resumes where it stopped).

    Pro-rates the first month, takes the family discount off from the second student of an account
    (students ordered by their first enrolment), leaves out classes without a fee, and charges the
    registration fee once per student and semester (unique too).
    """
    period = month_start(period)
    days = calendar.monthrange(period.year, period.month)[1]
    period_end = period.replace(day=days)
    rules = fee_settings()
    zone = workspace_zone()
    try:
        with transaction.atomic():
            run, _created = TuitionRun.objects.get_or_create(period=period)
    except IntegrityError:  # another run of this month started at the same moment
        run = TuitionRun.objects.get(period=period)
    already = set(
        Charge.objects.filter(kind=Charge.Kind.TUITION, period=period).values_list("enrolment_id", flat=True)
    )
    registered = set(Charge.objects.filter(kind=Charge.Kind.REGISTRATION).values_list("student_id", "term"))
    enrolments = (
        Enrolment.objects.filter(
            status=Enrolment.Status.ACTIVE,
            academy_class__fee__monthly_amount__gt=0,
            academy_class__is_active=True,
            academy_class__start_date__lte=period_end,
        )
        .filter(Q(academy_class__end_date__isnull=True) | Q(academy_class__end_date__gte=period))
        .select_related("student__guardian", "student__family", "academy_class__fee")
        .order_by("enrolled_at", "pk")
    )
    by_account: dict[str, list] = defaultdict(list)
    accounts: dict[str, Account] = {}
    for enrolment in enrolments:
        enrolled_on = timezone.localtime(enrolment.enrolled_at or timezone.now(), zone).date()
        if enrolled_on > period_end:
            continue
        account = account_of(enrolment.student)
        accounts[account.key] = account
        by_account[account.key].append((enrolment, enrolled_on))
    issued_on = period.replace(day=min(rules.billing_day, days))
    due_on = issued_on + timedelta(days=rules.due_days)
    for key, rows in by_account.items():
        account = accounts[key]
        order = []
        for enrolment, _day in rows:  # students in the order they first enrolled
            if enrolment.student_id not in order:
                order.append(enrolment.student_id)
        charges = []
        for enrolment, enrolled_on in rows:
            if enrolment.pk in already:
                continue
            gross = prorated(
                enrolment.academy_class.fee.monthly_amount, period=period, enrolled_on=enrolled_on
            )
            sibling = order.index(enrolment.student_id) > 0
            discount = _discount(gross, rules.sibling_discount_percent) if sibling else ZERO
            if gross - discount <= 0:
                continue
            charges.append(
                Charge(
                    kind=Charge.Kind.TUITION,
                    student=enrolment.student,
                    payer=account.payer,
                    family=account.family,
                    enrolment=enrolment,
                    period=period,
                    description=_("%(class)s · %(month)s")
                    % {"class": enrolment.academy_class.name, "month": f"{period:%Y-%m}"},
                    gross_amount=gross,
                    discount=discount,
                    amount=gross - discount,
                    issued_on=issued_on,
                    due_on=due_on,
                    created_by=user if getattr(user, "is_authenticated", False) else None,
                )
            )
        if rules.registration_fee > 0:
            term = f"{period.year}-{1 if period.month <= 6 else 2}"
            for student_id in order:
                if (student_id, term) in registered:
                    continue
                student = next(e.student for e, _day in rows if e.student_id == student_id)
                charges.append(
                    Charge(
                        kind=Charge.Kind.REGISTRATION,
                        student=student,
                        payer=account.payer,
                        family=account.family,
                        period=period,
                        term=term,
                        description=_("Registration %(term)s") % {"term": term},
                        gross_amount=rules.registration_fee,
                        discount=ZERO,
                        amount=rules.registration_fee,
                        issued_on=issued_on,
                        due_on=due_on,
                        created_by=user if getattr(user, "is_authenticated", False) else None,
                    )
                )
        if charges:
            with transaction.atomic():  # one account at a time: an interruption loses nothing made
                Charge.objects.bulk_create(charges, ignore_conflicts=True)
    with transaction.atomic():
        TuitionRun.objects.filter(pk=run.pk).update(
            finished_at=timezone.now(),
            charges_created=Charge.objects.filter(kind=Charge.Kind.TUITION, period=period).count(),
        )
    run.refresh_from_db()
    return run


def tuition_run_due(*, today: date | None = None) -> TuitionRun | None:
    """The beat's daily call: run this month's tuition once the billing day has come."""
    today = today or timezone.localdate(timezone=workspace_zone())
    if today.day < fee_settings().billing_day:
        return None
    if TuitionRun.objects.filter(period=month_start(today), finished_at__isnull=False).exists():
        return None
    return tuition_run(period=today)


# --- Corrections and payments -------------------------------------------------------------------


def _sum(related, field="amount"):
    return Coalesce(
        Subquery(
            related.values("charge").annotate(total=Sum(field)).values("total")[:1],
            output_field=DecimalField(max_digits=14, decimal_places=2),
        ),
        Value(ZERO),
    )


def charges_with_open_amount(queryset=None):
    """Charges annotated with ``credited``, ``paid`` and ``open_amount`` (subqueries: no row
    multiplication between credit notes and allocations)."""
    queryset = Charge.objects.all() if queryset is None else queryset
    return queryset.annotate(
        credited=_sum(CreditNote.objects.filter(charge=OuterRef("pk"))),
        paid=_sum(PaymentAllocation.objects.filter(charge=OuterRef("pk"))),
    ).annotate(open_amount=F("amount") - F("credited") - F("paid"))


def credit_note_create(*, charge: Charge, amount: Decimal, reason: str, user) -> CreditNote:
    """Correct a charge (it is never edited): take ``amount`` off what is still unpaid of it."""
    require_perm(user, Perm.MANAGE_FEES)
    amount = money(amount)
    reason = (reason or "").strip()[:200]
    if amount <= 0:
        raise InvalidAmount(_("Enter an amount greater than zero."))
    if not reason:
        raise InvalidAmount(_("Write the reason for the credit note."))
    with transaction.atomic():
        Charge.objects.select_for_update().filter(pk=charge.pk).first()
        open_amount = charges_with_open_amount().get(pk=charge.pk).open_amount
        if amount > open_amount:
            raise AllocationTooLarge(
                _("Only %(open)s of this charge is unpaid.") % {"open": money_text(open_amount)}
            )
        note = CreditNote.objects.create(
            number=document_number_next(kind=CREDIT_NOTE),
            charge=charge,
            amount=amount,
            reason=reason,
            created_by=user,
        )
        audit_record(
            action="fees.credit_note",
            actor=user,
            target=str(charge),
            data={"number": note.number, "amount": str(amount)},
        )
    return note


@dataclass(frozen=True)
class AllocationInput:
    charge: Charge
    amount: Decimal


def payment_record(
    *,
    account: Account,
    amount: Decimal,
    method: str,
    user,
    allocations: list[AllocationInput] | None = None,
    received_at: datetime | None = None,
    note: str = "",
) -> Payment:
    """Record money received from an account, paying the given charges (in part or in full), or
    without allocations the oldest unpaid charges first; what is left stays as the account's credit.
    The receipt takes the next number without gaps."""
    require_perm(user, Perm.RECORD_PAYMENTS)
    amount = money(amount)
    if amount <= 0:
        raise InvalidAmount(_("Enter an amount greater than zero."))
    if method not in PaymentMethod.values:
        raise InvalidAmount(_("Choose a payment method."))
    with transaction.atomic():
        # The account's charges, locked in a stable order: two payments at once queue here.
        locked = list(
            Charge.objects.select_for_update().filter(account.q()).order_by("pk").values_list("pk", flat=True)
        )
        open_by_charge = {
            charge.pk: charge
            for charge in charges_with_open_amount(Charge.objects.filter(pk__in=locked)).order_by(
                "due_on", "pk"
            )
        }
        if allocations is None:
            plan, left = [], amount
            for charge in open_by_charge.values():
                if left <= 0:
                    break
                part = min(left, charge.open_amount)
                if part > 0:
                    plan.append((charge, part))
                    left -= part
        else:
            plan = []
            for allocation in allocations:
                charge = open_by_charge.get(allocation.charge.pk)
                part = money(allocation.amount)
                if charge is None or part <= 0 or part > charge.open_amount:
                    raise AllocationTooLarge(
                        _("%(charge)s: pay more than zero and at most what is unpaid of it.")
                        % {"charge": allocation.charge.description}
                    )
                plan.append((charge, part))
            if sum((part for _charge, part in plan), ZERO) > amount:
                raise AllocationTooLarge(_("The charges chosen add up to more than the payment."))
        payment = Payment.objects.create(
            number=document_number_next(kind=RECEIPT),
            payer=account.payer,
            family=account.family,
            amount=amount,
            method=method,
            received_at=received_at or timezone.now(),
            received_by=user,
            note=(note or "").strip()[:200],
        )
        PaymentAllocation.objects.bulk_create(
            [PaymentAllocation(payment=payment, charge=charge, amount=part) for charge, part in plan]
        )
        audit_record(
            action="fees.payment_recorded",
            actor=user,
            target=account.name,
            data={"number": payment.number, "amount": str(amount)},
        )
    return payment


def reminder_opt_out(*, payer: Customer) -> None:
    """Stop payment reminders to ``payer`` (from the link in a reminder; safe to repeat)."""
    with transaction.atomic():
        ReminderOptOut.objects.get_or_create(payer=payer)
        audit_record(action="fees.reminders_opt_out", target=payer.full_name)


def payment_reversal_charge(*, account: Account, amount: Decimal, description: str, user) -> Charge:
    """An online payment refunded by the provider: its receipt stays (receipts are never undone),
    and a charge of the same amount opens the account's balance again."""
    require_perm(user, Perm.RECORD_PAYMENTS)
    amount = money(amount)
    if amount <= 0:
        raise InvalidAmount(_("Enter an amount greater than zero."))
    today = timezone.localdate(timezone=workspace_zone())
    with transaction.atomic():
        charge = Charge.objects.create(
            kind=Charge.Kind.OTHER,
            student=account.payer,
            payer=account.payer,
            family=account.family,
            description=(description or "").strip()[:200],
            gross_amount=amount,
            discount=ZERO,
            amount=amount,
            issued_on=today,
            due_on=today,
            created_by=user,
        )
        audit_record(
            action="fees.payment_reversed", actor=user, target=account.name, data={"amount": str(amount)}
        )
    return charge
