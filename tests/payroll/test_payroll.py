"""Teacher payroll: statements from the sessions actually taught, each line traceable to its
session, substitutes paid, approval recorded as an expense; a teacher reads only their own."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from academy.services import (
    checkin_by_token,
    session_reschedule,
    student_pass_get_or_create,
    student_pass_token,
)
from inventory.models import Expense
from payroll.exceptions import StatementApproved
from payroll.models import PayrollLine, PayrollStatement
from payroll.services import pay_rule_create, payroll_statement_approve, payroll_statement_build
from tests.customers.fixtures import web_client


@pytest.fixture
def period():
    today = timezone.localdate()
    return today - timedelta(days=35), today


def test_a_statement_pays_each_session_taught_and_the_substitute_gets_theirs(
    academy, owner, teacher, other_teacher, taught, period
):
    _class, past = taught
    session_reschedule(session=past[0], teacher=other_teacher, user=owner)
    pay_rule_create(teacher=teacher, kind="per_class", amount=Decimal("50000"), user=owner)
    pay_rule_create(teacher=teacher, kind="fixed_monthly", amount=Decimal("200000"), user=owner)
    pay_rule_create(teacher=other_teacher, kind="per_hour", amount=Decimal("40000"), user=owner)

    mine = payroll_statement_build(teacher=teacher, period_start=period[0], period_end=period[1], user=owner)
    theirs = payroll_statement_build(
        teacher=other_teacher, period_start=period[0], period_end=period[1], user=owner
    )

    taught_by_me = [s for s in past if s.pk != past[0].pk]
    per_class = mine.lines.filter(rule__kind="per_class")
    assert {line.session_id for line in per_class} == {s.pk for s in taught_by_me}
    assert all(line.session.teacher_id == teacher.pk for line in per_class)
    assert mine.total == Decimal(50000) * len(taught_by_me) + Decimal(200000)
    assert mine.total == sum(line.amount for line in mine.lines.all())
    assert [(line.session_id, line.quantity, line.amount) for line in theirs.lines.all()] == [
        (past[0].pk, Decimal("1.00"), Decimal("40000.00"))
    ]


def test_per_attendee_with_a_minimum_and_a_share_of_the_revenue(
    academy, owner, staff, site, teacher, taught, period, make_student, make_offer, sell
):
    _class, past = taught
    pack = make_offer("Paquete 8", credits=8, valid_days=90, price="120000")
    students = [make_student(f"Asistente {n}") for n in range(3)]
    for student in students:
        sell(pack, student, starts_on=period[0])
        token = student_pass_token(student_pass=student_pass_get_or_create(student=student))
        assert checkin_by_token(token=token, site=site, user=staff, now=past[-1].starts_at).ok
    pay_rule_create(
        teacher=teacher, kind="per_attendee", amount=Decimal("8000"), minimum=Decimal("20000"), user=owner
    )
    pay_rule_create(teacher=teacher, kind="revenue_share", percent=Decimal("40"), user=owner)

    statement = payroll_statement_build(
        teacher=teacher, period_start=period[0], period_end=period[1], user=owner
    )

    attendee_lines = {
        line.session_id: line.amount for line in statement.lines.filter(rule__kind="per_attendee")
    }
    assert attendee_lines[past[-1].pk] == Decimal("24000.00")  # 3 × 8.000
    assert attendee_lines[past[0].pk] == Decimal("20000.00")  # nobody came: the minimum
    share = statement.lines.get(rule__kind="revenue_share", session=past[-1])
    assert share.quantity == Decimal("45000.00") and share.amount == Decimal(
        "18000.00"
    )  # 3 × 120.000/8 × 40%
    assert statement.total == sum(line.amount for line in statement.lines.all())


def test_approving_records_one_expense_and_freezes_the_statement(academy, owner, teacher, taught, period):
    pay_rule_create(teacher=teacher, kind="per_class", amount=Decimal("50000"), user=owner)
    statement = payroll_statement_build(
        teacher=teacher, period_start=period[0], period_end=period[1], user=owner
    )

    approved = payroll_statement_approve(statement=statement, user=owner)
    with pytest.raises(StatementApproved):
        payroll_statement_approve(statement=statement, user=owner)
    lines_before = list(PayrollLine.objects.values_list("pk", "amount"))
    with pytest.raises(StatementApproved):
        payroll_statement_build(teacher=teacher, period_start=period[0], period_end=period[1], user=owner)

    expense = Expense.objects.get()
    assert approved.expense == expense and expense.amount == approved.total
    assert expense.category.name == "Nómina de profesores"
    assert list(PayrollLine.objects.values_list("pk", "amount")) == lines_before


def test_the_teacher_reads_only_their_own_statement_and_staff_none(
    client_for, academy, owner, staff, teacher, teacher_user, other_teacher, taught, period
):
    pay_rule_create(teacher=teacher, kind="per_class", amount=Decimal("50000"), user=owner)
    pay_rule_create(teacher=other_teacher, kind="fixed_monthly", amount=Decimal("100000"), user=owner)
    mine = payroll_statement_build(teacher=teacher, period_start=period[0], period_end=period[1], user=owner)
    theirs = payroll_statement_build(
        teacher=other_teacher, period_start=period[0], period_end=period[1], user=owner
    )
    as_teacher = web_client(client_for, academy, teacher_user)

    listing = as_teacher.get("/payroll/")
    own = as_teacher.get(f"/payroll/statements/{mine.pk}/")
    export = as_teacher.get(f"/payroll/statements/{mine.pk}/export/")
    excel = as_teacher.get(f"/payroll/statements/{mine.pk}/export/", {"format": "xlsx"})

    assert "Camila Ospina" in listing.text and "Andrés Mejía" not in listing.text
    assert own.status_code == 200 and "Salsa I" in own.text
    rows = export.content.decode("utf-8-sig").splitlines()
    assert export.status_code == 200 and len(rows) == 1 + mine.lines.count()
    assert sum(Decimal(row.rsplit(",", 1)[1]) for row in rows[1:]) == mine.total
    assert excel.status_code == 200 and excel.content[:2] == b"PK"
    assert as_teacher.get(f"/payroll/statements/{theirs.pk}/").status_code == 404
    assert as_teacher.post(f"/payroll/statements/{mine.pk}/approve/").status_code == 403
    assert as_teacher.post("/payroll/", {"teacher": teacher.pk}).status_code == 403
    as_staff = web_client(client_for, academy, staff)
    for url in ("/payroll/", f"/payroll/statements/{mine.pk}/", "/payroll/rules/"):
        assert as_staff.get(url).status_code == 403, url
    assert PayrollStatement.objects.filter(status="draft").count() == 2


def test_the_owner_builds_and_approves_through_the_screens(
    client_for, academy, owner, teacher, taught, period
):
    client = web_client(client_for, academy, owner)

    client.post("/payroll/rules/", {"teacher": teacher.pk, "kind": "per_class", "amount": "45000"})
    built = client.post(
        "/payroll/",
        {"teacher": teacher.pk, "period_start": period[0].isoformat(), "period_end": period[1].isoformat()},
    )
    statement = PayrollStatement.objects.get()
    page = client.get(built["Location"])
    client.post(f"/payroll/statements/{statement.pk}/approve/")

    assert built["Location"] == f"/payroll/statements/{statement.pk}/"
    assert page.status_code == 200 and 'data-testid="line"' in page.text
    statement.refresh_from_db()
    assert statement.status == "approved" and Expense.objects.get().amount == statement.total > 0
