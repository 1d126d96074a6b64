"""The monthly tuition run, corrections and payments: exact money, retry-safe runs, gap-free receipts."""

import calendar
from datetime import timedelta
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from fees.accounts import account_of
from fees.exceptions import AllocationTooLarge
from fees.models import Charge, CreditNote, Payment, PaymentAllocation, TuitionRun
from fees.selectors import account_balances, account_statement, overdue_list
from fees.services import (
    AllocationInput,
    class_fee_set,
    credit_note_create,
    fee_settings,
    payment_record,
    tuition_run,
)
from inventory.models import DocumentCounter


def test_the_run_prorates_the_first_month_and_discounts_the_second_sibling(
    academy, next_month, enrol, siblings, make_student
):
    family, first, second = siblings
    enrol(first, on=next_month - timedelta(days=40))
    enrol(second, on=next_month - timedelta(days=20))
    newcomer = make_student("Nico Nuevo")
    enrol(newcomer, on=next_month.replace(day=16))

    run = tuition_run(period=next_month)

    days = calendar.monthrange(next_month.year, next_month.month)[1]
    amounts = {c.student.full_name: (c.gross_amount, c.discount, c.amount) for c in Charge.objects.all()}
    assert amounts["Juan Gómez"] == (Decimal("100000.00"), Decimal("0.00"), Decimal("100000.00"))
    assert amounts["Sara Gómez"] == (Decimal("100000.00"), Decimal("10000.00"), Decimal("90000.00"))
    prorated = (Decimal(100000) * (days - 15) / days).quantize(Decimal("0.01"))
    assert amounts["Nico Nuevo"] == (prorated, Decimal("0.00"), prorated)
    assert run.finished_at is not None and run.charges_created == 3
    gomez = Charge.objects.filter(family=family)
    assert gomez.count() == 2 and {c.payer.full_name for c in gomez} == {"Marta Gómez"}
    assert Charge.objects.get(student=newcomer).family is None
    assert all(c.due_on == next_month + timedelta(days=10) for c in Charge.objects.all())


def test_running_the_month_twice_creates_no_charge_twice(academy, next_month, enrol, make_student):
    for index in range(3):
        enrol(make_student(f"Alumno {index}"), on=next_month - timedelta(days=5))

    tuition_run(period=next_month)
    first = set(Charge.objects.values_list("pk", "amount"))
    again = tuition_run(period=next_month.replace(day=17))  # any day of the month names the month

    assert set(Charge.objects.values_list("pk", "amount")) == first and len(first) == 3
    assert TuitionRun.objects.count() == 1 and again.charges_created == 3
    charge = Charge.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Charge.objects.create(
            **{
                f.attname: getattr(charge, f.attname)
                for f in Charge._meta.concrete_fields
                if f.attname != "id"
            }
        )


def test_a_payment_pays_the_oldest_charges_first_in_part_with_gap_free_receipts(
    academy, staff, next_month, enrol, siblings
):
    family, first, second = siblings
    enrol(first, on=next_month - timedelta(days=40))
    enrol(second, on=next_month - timedelta(days=20))
    tuition_run(period=next_month)
    account = account_of(first)

    one = payment_record(account=account, amount=Decimal("150000"), method="cash", user=staff)
    two = payment_record(account=account, amount=Decimal("10000"), method="transfer", user=staff)

    assert two.number == one.number + 1
    paid = {
        (a.payment.number, a.charge.student.full_name): a.amount
        for a in PaymentAllocation.objects.select_related("payment", "charge__student")
    }
    assert paid == {
        (one.number, "Juan Gómez"): Decimal("100000.00"),
        (one.number, "Sara Gómez"): Decimal("50000.00"),
        (two.number, "Sara Gómez"): Decimal("10000.00"),
    }
    assert account_statement(account=account)[-1].balance == Decimal("30000.00")
    balance = next(b for b in account_balances() if b.key == f"f{family.pk}")
    assert balance.balance == Decimal("30000.00") and balance.name == "Familia Gómez"


def test_paying_more_than_a_charge_owes_is_refused_and_nothing_changes(
    academy, staff, next_month, enrol, make_student
):
    student = make_student()
    enrol(student, on=next_month - timedelta(days=40))
    tuition_run(period=next_month)
    charge = Charge.objects.get()
    counter = list(DocumentCounter.objects.values_list("kind", "last_number"))

    with pytest.raises(AllocationTooLarge):
        payment_record(
            account=account_of(student),
            amount=Decimal("200000"),
            method="cash",
            user=staff,
            allocations=[AllocationInput(charge=charge, amount=Decimal("150000"))],
        )

    assert not Payment.objects.exists() and not PaymentAllocation.objects.exists()
    assert list(DocumentCounter.objects.values_list("kind", "last_number")) == counter


def test_a_credit_note_corrects_a_charge_that_stays_as_it_was(
    academy, owner, next_month, enrol, make_student
):
    student = make_student()
    enrol(student, on=next_month - timedelta(days=40))
    tuition_run(period=next_month)
    charge = Charge.objects.get()

    note = credit_note_create(charge=charge, amount=Decimal("25000"), reason="Clase cancelada", user=owner)
    with pytest.raises(AllocationTooLarge):
        credit_note_create(charge=charge, amount=Decimal("80000"), reason="Demasiado", user=owner)

    charge.refresh_from_db()
    assert charge.amount == Decimal("100000.00") and CreditNote.objects.count() == 1 and note.number >= 1
    assert account_statement(account=account_of(student))[-1].balance == Decimal("75000.00")


def test_the_overdue_list_ages_what_is_unpaid(academy, staff, next_month, enrol, make_student):
    late, paid_up = make_student("Lola Tarde"), make_student("Pepe Puntual")
    for student in (late, paid_up):
        enrol(student, on=next_month - timedelta(days=40))
    tuition_run(period=next_month)
    payment_record(account=account_of(paid_up), amount=Decimal("100000"), method="cash", user=staff)
    due = Charge.objects.get(student=late).due_on

    rows = overdue_list(today=due + timedelta(days=45))

    assert [(row.name, row.buckets) for row in rows] == [
        ("Lola Tarde", [Decimal(0), Decimal("100000.00"), Decimal(0), Decimal(0)])
    ]
    assert overdue_list(today=due) == []


def test_the_run_costs_the_same_few_queries_per_family_however_many_there_are(
    academy, owner, next_month, enrol, make_student, make_class
):
    big = make_class(name="Salsa grande", weekdays=[5], capacity=20)
    class_fee_set(academy_class=big, monthly_amount=Decimal("100000"), user=owner)

    def queries_for(period) -> int:
        with CaptureQueriesContext(connection) as captured:
            tuition_run(period=period)
        # django-tenants sets the search_path before each statement: count the statements themselves
        return sum(1 for query in captured.captured_queries if not query["sql"].startswith("SET search_path"))

    fee_settings()  # the rules row exists from the first run on: measure runs alike
    for index in range(3):
        enrol(make_student(f"Primera tanda {index}"), on=next_month - timedelta(days=60), academy_class=big)
    three = queries_for(next_month)
    for index in range(15):
        enrol(make_student(f"Segunda tanda {index}"), on=next_month - timedelta(days=60), academy_class=big)
    eighteen = queries_for(next_month + relativedelta(months=1))

    per_family = (eighteen - three) / 15
    assert Charge.objects.count() == 3 + 18
    assert per_family == 3  # one insert per family and its savepoint: nothing read per family


def test_the_registration_fee_is_charged_once_a_semester(academy, next_month, enrol, siblings):
    rules = fee_settings()
    rules.registration_fee = Decimal("50000")
    rules.save(update_fields=["registration_fee"])
    family, first, second = siblings
    enrol(first, on=next_month - timedelta(days=40))
    enrol(second, on=next_month - timedelta(days=40))

    months = [next_month + relativedelta(months=n) for n in range(7)]
    for month in months:
        tuition_run(period=month)
    tuition_run(period=months[0])

    registrations = Charge.objects.filter(kind="registration")
    terms = {f"{m.year}-{1 if m.month <= 6 else 2}" for m in months}
    assert registrations.count() == 2 * len(terms)
    assert set(registrations.values_list("term", flat=True)) == terms
    assert all(c.amount == Decimal("50000.00") and c.discount == 0 for c in registrations)
    assert Charge.objects.filter(kind="tuition").count() == 2 * 7
