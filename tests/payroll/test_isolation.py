"""Payroll routes: anonymous visitors sign in first, another workspace's owner finds nothing (404),
roles without payroll are refused (403), and nothing is approved by a refused request."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from payroll.models import PayrollStatement
from payroll.services import pay_rule_create, payroll_statement_build
from tests.academy.conftest import make_academy
from tests.conftest import in_schema
from tests.customers.fixtures import is_login_redirect, web_client


@pytest.fixture
def objects(owner, other_teacher, taught):
    pay_rule_create(teacher=other_teacher, kind="fixed_monthly", amount=Decimal("100000"), user=owner)
    today = timezone.localdate()
    statement = payroll_statement_build(
        teacher=other_teacher, period_start=today - timedelta(days=30), period_end=today, user=owner
    )
    return {"statement": statement}


# The teacher of these routes' statement is another teacher: the signed-in teacher finds nothing.
ROUTES = [
    ("get", "/payroll/", {"owner", "admin", "teacher"}, 200),
    ("get", "/payroll/rules/", {"owner", "admin"}, 403),
    ("get", "/payroll/profit/", {"owner", "admin"}, 403),
    ("get", "/payroll/statements/{statement}/", {"owner", "admin"}, 404),
    ("get", "/payroll/statements/{statement}/export/", {"owner", "admin"}, 404),
    ("post", "/payroll/statements/{statement}/approve/", {"owner", "admin"}, 403),
]


def call(client, method, url):
    return client.post(url) if method == "post" else client.get(url)


@pytest.mark.parametrize(
    ("method", "pattern", "allowed", "teacher_answer"), ROUTES, ids=[r[1] for r in ROUTES]
)
def test_each_route_follows_the_role_table(
    client_for, academy, objects, owner, admin, staff, teacher_user, method, pattern, allowed, teacher_answer
):
    url = pattern.format(statement=objects["statement"].pk)
    assert is_login_redirect(call(client_for(academy), method, url))
    for role, user in {"staff": staff, "teacher": teacher_user, "admin": admin, "owner": owner}.items():
        response = call(web_client(client_for, academy, user), method, url)
        if role in allowed:
            assert response.status_code in (200, 302), (role, response.status_code)
        elif role == "teacher":
            assert response.status_code == teacher_answer, (role, response.status_code)
        else:
            assert response.status_code == 403, (role, response.status_code)


@pytest.mark.parametrize(
    ("method", "pattern", "allowed", "teacher_answer"), ROUTES, ids=[r[1] for r in ROUTES]
)
def test_another_workspaces_owner_finds_nothing(
    client_for, workspaces, objects, beta_owner, method, pattern, allowed, teacher_answer
):
    url = pattern.format(statement=objects["statement"].pk)
    with in_schema(workspaces.beta):
        make_academy(workspaces.beta)
    response = call(web_client(client_for, workspaces.beta, beta_owner), method, url)
    if "{" in pattern:
        assert response.status_code == 404, response.status_code
    else:
        assert response.status_code == 200 and "Andrés Mejía" not in response.text
    with in_schema(workspaces.alpha):
        assert PayrollStatement.objects.get().status == "draft"
