"""Money is exact: after any mix of enrolments (pro-rated or not, siblings or not), monthly runs,
payments in part, and credit notes, every account's balance is its charges minus its credit notes
minus its payments, the statement ends on it, and no charge is paid or credited beyond its amount."""

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from customers.models import Customer
from customers.services import family_create
from fees.accounts import account_of
from fees.models import Charge, CreditNote, Payment
from fees.selectors import account_balances, account_statement
from fees.services import charges_with_open_amount, credit_note_create, payment_record, tuition_run


class Rollback(Exception):
    pass


operations = st.lists(
    st.one_of(
        st.tuples(st.just("enrol"), st.integers(0, 5), st.integers(-40, 27), st.booleans()),
        st.tuples(st.just("run"), st.integers(0, 2)),
        st.tuples(st.just("pay"), st.integers(0, 5), st.decimals("0.01", "250000", places=2)),
        st.tuples(st.just("credit"), st.integers(0, 50), st.decimals("0.01", "120000", places=2)),
    ),
    min_size=3,
    max_size=14,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=operations)
def test_every_balance_is_charges_less_credit_notes_less_payments(
    academy, owner, staff, next_month, enrol, make_student, make_class, salsa_class, steps
):
    try:
        with transaction.atomic():
            students = []
            family = None
            for step in steps:
                if step[0] == "enrol":
                    _op, _who, day, sibling = step
                    student = make_student()
                    if sibling:
                        if family is None:
                            family = family_create(name="Familia Prueba", members=[student])
                        else:
                            Customer.objects.filter(pk=student.pk).update(family=family)
                        student.refresh_from_db()
                    enrol(student, on=next_month + timedelta(days=day))
                    students.append(student)
                elif step[0] == "run":
                    tuition_run(period=next_month + relativedelta(months=step[1]))
                elif step[0] == "pay" and students:
                    student = students[step[1] % len(students)]
                    payment_record(account=account_of(student), amount=step[2], method="cash", user=staff)
                elif step[0] == "credit":
                    open_charges = list(charges_with_open_amount().filter(open_amount__gt=0).order_by("pk"))
                    if open_charges:
                        charge = open_charges[step[1] % len(open_charges)]
                        amount = min(step[2], charge.open_amount)
                        credit_note_create(charge=charge, amount=amount, reason="Ajuste", user=owner)

            expected = defaultdict(Decimal)
            for charge in Charge.objects.all():
                expected[f"f{charge.family_id}" if charge.family_id else f"p{charge.payer_id}"] += (
                    charge.amount
                )
            for note in CreditNote.objects.select_related("charge"):
                key = f"f{note.charge.family_id}" if note.charge.family_id else f"p{note.charge.payer_id}"
                expected[key] -= note.amount
            for payment in Payment.objects.all():
                expected[f"f{payment.family_id}" if payment.family_id else f"p{payment.payer_id}"] -= (
                    payment.amount
                )
            balances = {row.key: row.balance for row in account_balances()}
            assert balances == {key: value for key, value in expected.items()}
            for student in students:
                account = account_of(student)
                lines = account_statement(account=account)
                assert (lines[-1].balance if lines else Decimal(0)) == balances.get(account.key, Decimal(0))
            assert all(charge.open_amount >= 0 for charge in charges_with_open_amount())
            total = Charge.objects.aggregate(s=Sum("amount"))["s"] or Decimal(0)
            assert sum(balances.values(), Decimal(0)) == total - (
                CreditNote.objects.aggregate(s=Sum("amount"))["s"] or 0
            ) - (Payment.objects.aggregate(s=Sum("amount"))["s"] or 0)
            assert all(isinstance(value, Decimal) for value in balances.values())
            raise Rollback
    except Rollback:
        pass
