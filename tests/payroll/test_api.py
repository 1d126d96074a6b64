"""Memberships, family accounts and payroll through the API (a front-desk tablet or an integration
with a token). Every endpoint is also in the role table and the other-workspace tests of
tests/api/test_api_access.py (read from the URLconf)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from api.services import api_token_create
from fees.models import Payment
from fees.services import tuition_run
from memberships.models import Entitlement
from payroll.services import pay_rule_create, payroll_statement_build
from tests.api.conftest import enterprise
from tests.conftest import host_of
from tests.customers.fixtures import web_client
from tests.fees.conftest import enrol, next_month, salsa_class, siblings  # noqa: F401  (fixtures)


@pytest.fixture
def api(academy):
    enterprise(academy)

    def make(user) -> APIClient:
        client = APIClient(HTTP_HOST=host_of(academy))
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=user, name='tablet')[1]}")
        return client

    return make


def test_the_front_desk_sells_a_pack_through_the_api(api, staff, site, make_student, make_offer):
    offer = make_offer("Paquete 8", credits=8, valid_days=60)
    student = make_student("Tablet Compradora")
    client = api(staff)

    offers = client.get("/api/v1/offers/")
    sold = client.post(
        f"/api/v1/customers/{student.pk}/entitlements/",
        {"offer": offer.pk, "site": site.pk, "payment_method": "card"},
        format="json",
    )
    listed = client.get(f"/api/v1/customers/{student.pk}/entitlements/")

    assert [row["name"] for row in offers.json()["results"]] == ["Paquete 8"]
    assert offers.json()["results"][0]["price"] == "120000.00"
    assert sold.status_code == 201, sold.content
    assert sold.json()["credits_left"] == 8 and sold.json()["standing"] is True
    assert [row["offer_name"] for row in listed.json()] == ["Paquete 8"]
    assert Entitlement.objects.get().sale_line.sale.payment_method == "card"


def test_a_family_pays_through_the_api_in_part(api, staff, siblings, enrol, next_month):  # noqa: F811
    family, first, second = siblings
    enrol(first, on=next_month - timedelta(days=40))
    enrol(second, on=next_month - timedelta(days=40))
    tuition_run(period=next_month)
    client = api(staff)
    account = f"f{family.pk}"

    balances = client.get("/api/v1/accounts/")
    detail = client.get(f"/api/v1/accounts/{account}/")
    first_charge = detail.json()["open_charges"][0]["id"]
    too_much = client.post(
        "/api/v1/payments/",
        {
            "account": account,
            "amount": "5000",
            "method": "cash",
            "allocations": [{"charge": first_charge, "amount": "9000"}],
        },
        format="json",
    )
    paid = client.post(
        "/api/v1/payments/",
        {
            "account": account,
            "amount": "50000",
            "method": "transfer",
            "allocations": [{"charge": first_charge, "amount": "50000"}],
        },
        format="json",
    )
    after = client.get(f"/api/v1/accounts/{account}/")

    assert balances.json() == [
        {
            "account": account,
            "name": "Familia Gómez",
            "charged": "190000.00",
            "credited": "0.00",
            "paid": "0.00",
            "balance": "190000.00",
        }
    ]
    assert too_much.status_code == 400, too_much.content
    assert paid.status_code == 201 and paid.json()["amount"] == "50000.00"
    assert after.json()["statement"][-1]["balance"] == "140000.00"
    assert Payment.objects.count() == 1


def test_a_teacher_reads_only_their_own_payroll_through_the_api(
    api, client_for, academy, owner, teacher, teacher_user, other_teacher, staff
):
    today = timezone.localdate()
    for who in (teacher, other_teacher):
        pay_rule_create(teacher=who, kind="fixed_monthly", amount=Decimal("100000"), user=owner)
        payroll_statement_build(
            teacher=who, period_start=today - timedelta(days=30), period_end=today, user=owner
        )

    # A teacher holds no API token (no USE_API): the signed-in session reads the API.
    mine = web_client(client_for, academy, teacher_user).get("/api/v1/payroll-statements/")
    everyone = api(owner).get("/api/v1/payroll-statements/")

    assert [row["teacher"] for row in mine.json()["results"]] == [teacher.pk]
    assert len(everyone.json()["results"]) == 2
    assert api(staff).get("/api/v1/payroll-statements/").status_code == 403
