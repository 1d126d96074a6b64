"""The demo academy's money: three months of charges and payments (some late), packs and memberships
in use, two payroll periods; a second run adds nothing."""

from academy.demo import academy_demo_seed
from fees.models import Charge, Payment
from fees.selectors import account_balances, overdue_list
from memberships.models import Entitlement, EntitlementUse
from payroll.demo import academy_money_demo_seed
from payroll.models import PayrollStatement
from tests.customers.fixtures import web_client


def test_demo_money_is_believable_and_idempotent(client_for, academy, owner):
    academy_demo_seed(teacher_password="demo-pass-2026")

    made = academy_money_demo_seed()
    again = academy_money_demo_seed()

    assert made["skipped"] is False and again["skipped"] is True
    assert Charge.objects.values("period").distinct().count() == 3
    assert Payment.objects.count() == made["payments"] > 50
    assert overdue_list() != [] and any(row.balance > 0 for row in account_balances())
    assert (
        Entitlement.objects.filter(kind="pack").exists()
        and Entitlement.objects.filter(kind="membership").exists()
    )
    assert EntitlementUse.objects.count() == made["classes_on_packs_and_memberships"] > 10
    assert PayrollStatement.objects.filter(status="approved").count() >= 3
    assert PayrollStatement.objects.filter(status="draft").exists()
    client = web_client(client_for, academy, owner)
    for url in ("/fees/", "/fees/overdue/", "/payroll/", "/payroll/profit/", "/memberships/offers/"):
        assert client.get(url).status_code == 200, url
