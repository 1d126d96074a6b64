"""Reminders customers asked for, sent as approved templates by Celery beat.

A registry of kinds: each kind finds what is due now (``Due``: a stable key, who to write to and the
template's parameters). The run sends each (kind, key) once, only to customers whose WhatsApp
consent is recorded, outside the workspace's quiet hours and within its hourly rate. The template
used is the approved one whose ``purpose`` is the kind's key (none approved: the kind waits).

Built in: class tomorrow, class pack running out, fee due, fee overdue. The lead wires "order
ready" at merge with ``reminder_kind_register`` (see messaging/apps.py for the exact call).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.utils import formats, timezone, translation

from academy.models import Booking, Enrolment, Session
from academy.services.common import workspace_zone
from core.money import money_text, number_text
from customers.models import Customer
from fees.models import Charge
from fees.services import charges_with_open_amount
from memberships.models import Entitlement, Offer
from messaging.models import Message, MessageTemplate, ReminderSent
from messaging.selectors import account_get, consent_given
from messaging.services import conversation_for_customer, message_queue

PACK_LOW = 1  # classes left when "your pack is running out" is sent
FEE_DUE_DAYS = 3  # "your fee is due" this many days before the due date


@dataclass(frozen=True)
class Due:
    key: str
    customer: Customer  # who is written to (a minor's guardian, for instance)
    params: list[str]


@dataclass(frozen=True)
class ReminderKind:
    key: str
    due: Callable[[datetime], Iterable[Due]]


_kinds: dict[str, ReminderKind] = {}


def reminder_kind_register(kind: ReminderKind) -> None:
    """Add (or replace) a reminder kind; other apps call it from their AppConfig.ready."""
    _kinds[kind.key] = kind


def reminder_kinds() -> list[ReminderKind]:
    return [_kinds[key] for key in sorted(_kinds)]


def _local(at: datetime) -> datetime:
    return timezone.localtime(at, workspace_zone())


def in_quiet_hours(at: datetime, quiet_from: time, quiet_until: time) -> bool:
    now = _local(at).time()
    if quiet_from <= quiet_until:
        return quiet_from <= now < quiet_until
    return now >= quiet_from or now < quiet_until  # 21:00 → 08:00 spans midnight


def _class_tomorrow(now: datetime) -> Iterable[Due]:
    zone = workspace_zone()
    tomorrow = _local(now).date() + timedelta(days=1)
    start = datetime.combine(tomorrow, time.min, tzinfo=zone)
    sessions = Session.objects.filter(
        status=Session.Status.SCHEDULED, starts_at__gte=start, starts_at__lt=start + timedelta(days=1)
    ).select_related("academy_class", "room__site")
    for session in sessions:
        students = [
            e.student
            for e in Enrolment.objects.filter(
                academy_class_id=session.academy_class_id, status=Enrolment.Status.ACTIVE
            ).select_related("student__guardian")
        ] + [
            b.student
            for b in Booking.objects.filter(session=session, cancelled_at__isnull=True).select_related(
                "student__guardian"
            )
        ]
        at = formats.time_format(_local(session.starts_at), "H:i")
        for student in students:
            yield Due(
                key=f"{session.pk}:{student.pk}",
                customer=student.contact,
                params=[student.full_name, session.academy_class.name, at, session.room.site.name],
            )


def _pack_running_out(now: datetime) -> Iterable[Due]:
    today = _local(now).date()
    packs = (
        Entitlement.objects.filter(cancelled_at__isnull=True, credits_total__isnull=False)
        .exclude(kind=Offer.Kind.MEMBERSHIP)
        .select_related("offer", "student__guardian")
    )
    for entitlement in packs:
        left = entitlement.credits_left
        if left is None or left > PACK_LOW or left < 0:
            continue
        if entitlement.ends_on is not None and entitlement.ends_on < today:
            continue
        yield Due(
            key=f"{entitlement.pk}:{entitlement.credits_used}",
            customer=entitlement.student.contact,
            params=[entitlement.student.full_name, entitlement.offer.name, number_text(left)],
        )


def _fees(now: datetime, *, overdue: bool) -> Iterable[Due]:
    today = _local(now).date()
    rows = (
        Charge.objects.filter(due_on__lt=today)
        if overdue
        else Charge.objects.filter(due_on__gte=today, due_on__lte=today + timedelta(days=FEE_DUE_DAYS))
    )
    for charge in charges_with_open_amount(rows).filter(open_amount__gt=0).select_related("payer", "student"):
        yield Due(
            key=f"{charge.pk}",
            customer=charge.payer,
            params=[
                charge.student.full_name,
                charge.description,
                money_text(charge.open_amount),
                formats.date_format(charge.due_on, "j M Y"),
            ],
        )


def register_builtin_kinds() -> None:
    reminder_kind_register(ReminderKind("class_tomorrow", _class_tomorrow))
    reminder_kind_register(ReminderKind("pack_running_out", _pack_running_out))
    reminder_kind_register(ReminderKind("fee_due", lambda now: _fees(now, overdue=False)))
    reminder_kind_register(ReminderKind("fee_overdue", lambda now: _fees(now, overdue=True)))


@dataclass
class RunResult:
    sent: int = 0
    skipped_no_consent: int = 0
    skipped_no_phone: int = 0
    waiting_rate: int = 0
    quiet: bool = False


def reminders_send(*, now: datetime | None = None, kinds: list[str] | None = None) -> RunResult:
    """Send what is due now, each (kind, key) once; safe to run twice and at the same time."""
    now = now or timezone.now()
    result = RunResult()
    account = account_get()
    if account is None:
        return result
    if in_quiet_hours(now, account.quiet_from, account.quiet_until):
        result.quiet = True
        return result
    budget = (
        account.reminders_per_hour
        - ReminderSent.objects.filter(sent_at__gte=now - timedelta(hours=1)).count()
    )
    for kind in reminder_kinds():
        if kinds is not None and kind.key not in kinds:
            continue
        template = (
            MessageTemplate.objects.filter(purpose=kind.key, is_approved=True).order_by("language").first()
        )
        if template is None:
            continue
        done = set(ReminderSent.objects.filter(kind=kind.key).values_list("key", flat=True))
        for due in kind.due(now):
            if due.key in done:
                continue
            if budget <= 0:
                result.waiting_rate += 1
                continue
            if not consent_given(due.customer):
                result.skipped_no_consent += 1
                continue
            if _send_one(kind=kind.key, due=due, template=template, now=now):
                result.sent += 1
                budget -= 1
            else:
                result.skipped_no_phone += 1
    return result


def _send_one(*, kind: str, due: Due, template: MessageTemplate, now: datetime) -> bool:
    try:
        with transaction.atomic():
            conversation = conversation_for_customer(customer=due.customer)
            if conversation is None:
                return False
            record = ReminderSent.objects.create(kind=kind, key=due.key, customer=due.customer, sent_at=now)
            with translation.override(template.language[:2]):
                message = message_queue(
                    conversation=conversation,
                    body=template.render(due.params),
                    kind=Message.Kind.TEMPLATE,
                    payload={
                        "template": template.name,
                        "language": template.language,
                        "params": due.params,
                        "reminder": kind,
                    },
                )
            ReminderSent.objects.filter(pk=record.pk).update(message=message)
    except IntegrityError:  # another run sent it a moment ago
        return False
    return True


def reminder_send_now(*, kind: str, key: str, customer: Customer, params: list[str], now=None) -> bool:
    """Send one reminder at once (an order is ready): same rules as the beat's run (consent, quiet
    hours, once per key, the kind's approved template). False when it was not sent."""
    now = now or timezone.now()
    account = account_get()
    if account is None or in_quiet_hours(now, account.quiet_from, account.quiet_until):
        return False
    template = MessageTemplate.objects.filter(purpose=kind, is_approved=True).order_by("language").first()
    if template is None or not consent_given(customer):
        return False
    if ReminderSent.objects.filter(kind=kind, key=key).exists():
        return False
    return _send_one(
        kind=kind, due=Due(key=key, customer=customer, params=params), template=template, now=now
    )
