"""Profit per class: revenue recognised from the packs used in its sessions and the tuition charged,
minus the teacher's pay for its sessions, with the rule on the page; owners only."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from academy.services import (
    checkin_by_token,
    enrolment_create,
    student_pass_get_or_create,
    student_pass_token,
)
from fees.services import class_fee_set, tuition_run
from payroll.selectors import class_profit, offer_figures
from payroll.services import pay_rule_create, payroll_statement_build
from tests.customers.fixtures import web_client


def test_profit_per_class_is_revenue_used_minus_teacher_pay(
    client_for, academy, owner, admin, staff, site, teacher, taught, make_student, make_offer, sell
):
    academy_class, past = taught
    today = timezone.localdate()
    start, end = today - timedelta(days=35), today
    pack = make_offer("Paquete 10", credits=10, valid_days=120, price="150000")
    for name in ("Ana", "Beto"):
        student = make_student(name)
        sell(pack, student, starts_on=start)
        token = student_pass_token(student_pass=student_pass_get_or_create(student=student))
        for session in past[:2]:
            assert checkin_by_token(token=token, site=site, user=staff, now=session.starts_at).ok
    pay_rule_create(teacher=teacher, kind="per_class", amount=Decimal("20000"), user=owner)
    payroll_statement_build(teacher=teacher, period_start=start, period_end=end, user=owner)

    rows = class_profit(start=start, end=end)
    offers = offer_figures(start=start, end=end)
    page = web_client(client_for, academy, owner).get("/payroll/profit/", {"start": start, "end": end})

    [row] = rows
    assert row.name == "Salsa I" and row.sessions == len(past) and row.attendees == 4
    assert row.credit_revenue == Decimal("60000.00")  # 4 classes × 150.000 / 10
    assert row.teacher_pay == Decimal(20000) * len(past)
    assert row.profit == row.credit_revenue + row.tuition_revenue - row.teacher_pay
    assert [(o.name, o.sold, o.sales_total, o.classes_taken) for o in offers] == [
        ("Paquete 10", 2, Decimal("300000.00"), 4)
    ]
    assert page.status_code == 200 and 'data-testid="profit-rule"' in page.text and "Salsa I" in page.text
    assert web_client(client_for, academy, staff).get("/payroll/profit/").status_code == 403


def test_tuition_charged_counts_for_its_class(academy, owner, make_student, taught):
    academy_class, _past = taught
    class_fee_set(academy_class=academy_class, monthly_amount=Decimal("100000"), user=owner)
    enrolment_create(academy_class=academy_class, student=make_student())
    month = timezone.localdate().replace(day=1)
    tuition_run(period=month)

    [row] = [r for r in class_profit(start=month, end=month + timedelta(days=27)) if r.name == "Salsa I"]
    assert row.tuition_revenue > 0 and row.tuition_revenue <= Decimal("100000.00")
