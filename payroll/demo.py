"""The demo academy's money (issue 15), on top of academy.demo: monthly fees per class, three
months of tuition with payments (most on time, some partial, some late), offers with packs and
memberships sold and in use, teacher pay rules and two payroll periods (the last approved).

Runs inside the workspace's schema after ``academy_demo_seed``; deterministic and safe to run twice
(skipped when the academy already has offers)::

    with schema_context(tenant.schema_name):
        academy_demo_seed(teacher_password=settings.DEMO_PASSWORD)
        academy_money_demo_seed()
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from academy.models import AcademyClass, Enrolment, Session, Teacher
from academy.services import checkin_by_token, student_pass_get_or_create, student_pass_token
from academy.services.common import workspace_zone
from accounts.models import User
from customers.models import Customer
from fees.accounts import account_of
from fees.models import Charge
from fees.services import charges_with_open_amount, class_fee_set, month_start, payment_record, tuition_run
from memberships.models import Offer
from memberships.services import OfferInput, entitlement_sell, offer_create
from payroll.models import PayRule
from payroll.services import pay_rule_create, payroll_statement_approve, payroll_statement_build

OFFERS = [
    ("pack", "Paquete 8 clases", "160000", {"credits": 8, "valid_days": 60}),
    ("pack", "Paquete 4 clases", "90000", {"credits": 4, "valid_days": 30, "valid_from": "first_use"}),
    ("membership", "Mensualidad ilimitada", "220000", {}),
    ("membership", "Mensualidad 2 clases por semana", "150000", {"weekly_limit": 2}),
    ("drop_in", "Clase suelta", "25000", {}),
    ("registration", "Matrícula semestral", "50000", {}),
]


def academy_money_demo_seed(*, today: date | None = None, seed: int = 15) -> dict:
    if Offer.objects.exists() or not AcademyClass.objects.exists():
        return {"skipped": True}
    owner = User.objects.filter(role=User.Role.OWNER, is_active=True).order_by("pk").first()
    if owner is None:
        return {"skipped": True}
    rng = random.Random(seed)
    zone = workspace_zone()
    today = today or timezone.localdate(timezone=zone)
    with transaction.atomic():
        for academy_class in AcademyClass.objects.filter(is_active=True).order_by("pk"):
            class_fee_set(
                academy_class=academy_class,
                monthly_amount=Decimal(rng.choice([90000, 110000, 130000])),
                user=owner,
            )
        offers = {
            name: offer_create(
                data=OfferInput(kind=kind, name=name, price=Decimal(price), **extra), user=owner
            )
            for kind, name, price, extra in OFFERS
        }
        periods = [month_start(today) - relativedelta(months=months) for months in (2, 1, 0)]
        for period in periods:
            tuition_run(period=period, user=owner)
        payments = _payments(rng=rng, owner=owner, periods=periods, today=today, zone=zone)
        uses = _packs_and_memberships(rng=rng, owner=owner, offers=offers, today=today)
        statements = _payroll(owner=owner, today=today)
    return {
        "skipped": False,
        "charges": Charge.objects.count(),
        "payments": payments,
        "classes_on_packs_and_memberships": uses,
        "payroll_statements": statements,
    }


def _payments(*, rng, owner, periods, today, zone) -> int:
    """Most families pay within the month's first days, some in part, some are late."""
    made = 0
    for period in periods:
        charges = list(
            charges_with_open_amount(Charge.objects.filter(period=period)).select_related("student")
        )
        accounts = {}
        for charge in charges:
            accounts.setdefault(account_of(charge.student).key, (account_of(charge.student), []))[1].append(
                charge
            )
        for account, owed in accounts.values():
            luck = rng.random()
            total = sum((charge.open_amount for charge in owed), Decimal(0))
            if luck < 0.15 or total <= 0:
                continue  # late: nothing paid yet
            amount = total if luck > 0.3 else (total / 2).quantize(Decimal("1"))
            day = min(today, period + timedelta(days=rng.randint(1, 12)))
            received_at = datetime.combine(
                day, time(rng.randint(8, 19), rng.choice([0, 15, 30, 45])), tzinfo=zone
            )
            payment_record(
                account=account,
                amount=amount,
                method=rng.choice(["cash", "transfer", "transfer", "card"]),
                user=owner,
                received_at=min(received_at, timezone.now()),
            )
            made += 1
    return made


def _packs_and_memberships(*, rng, owner, offers, today) -> int:
    """Adults who are not enrolled buy packs and memberships and take classes with them."""
    enrolled = Enrolment.objects.filter(status="active").values("student")
    buyers = list(
        Customer.objects.filter(guardian__isnull=True, is_active=True).exclude(pk__in=enrolled)[:14]
    )
    if not buyers:
        buyers = list(Customer.objects.filter(guardian__isnull=True, is_active=True).order_by("pk")[:14])
    names = [
        "Paquete 8 clases",
        "Paquete 4 clases",
        "Mensualidad ilimitada",
        "Mensualidad 2 clases por semana",
    ]
    sessions = list(
        Session.objects.filter(
            status=Session.Status.SCHEDULED,
            starts_at__gte=timezone.now() - timedelta(days=25),
            ends_at__lte=timezone.now(),
        ).select_related("room__site", "academy_class")
    )
    used = 0
    for index, student in enumerate(buyers):
        offer = offers[names[index % len(names)]]
        site = sessions[0].room.site if sessions else None
        if site is None:
            break
        starts_on = today - timedelta(days=26)
        entitlement_sell(
            offer=offer,
            student=student,
            location=site,
            seller=owner,
            payment_method="cash",
            starts_on=starts_on,
        )
        token = student_pass_token(student_pass=student_pass_get_or_create(student=student))
        for session in rng.sample(sessions, k=min(len(sessions), rng.randint(2, 6))):
            result = checkin_by_token(token=token, site=session.room.site, user=owner, now=session.starts_at)
            used += int(result.ok and result.code == "checked_in")
    return used


def _payroll(*, owner, today) -> int:
    """Pay rules for every teacher, and two periods: last month (approved) and this month so far."""
    kinds = [
        ("per_class", {"amount": Decimal("45000")}),
        ("per_hour", {"amount": Decimal("40000")}),
        ("per_attendee", {"amount": Decimal("6000"), "minimum": Decimal("30000")}),
        ("revenue_share", {"percent": Decimal("30")}),
    ]
    teachers = list(Teacher.objects.filter(is_active=True).order_by("pk"))
    for index, teacher in enumerate(teachers):
        kind, values = kinds[index % len(kinds)]
        pay_rule_create(teacher=teacher, kind=kind, user=owner, **values)
        if kind == "revenue_share":
            pay_rule_create(
                teacher=teacher, kind=PayRule.Kind.FIXED_MONTHLY, amount=Decimal("300000"), user=owner
            )
    last_month = month_start(today) - relativedelta(months=1)
    made = 0
    for teacher in teachers:
        previous = payroll_statement_build(
            teacher=teacher,
            period_start=last_month,
            period_end=month_start(today) - timedelta(days=1),
            user=owner,
        )
        if previous.total > 0:
            payroll_statement_approve(statement=previous, user=owner)
        payroll_statement_build(
            teacher=teacher, period_start=month_start(today), period_end=today, user=owner
        )
        made += 2
    return made
