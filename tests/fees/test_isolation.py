"""Every tuition route: anonymous visitors sign in first, another workspace's owner finds nothing
(404), and a role without the permission is refused (403): teachers see no family money, the front
desk records payments but sets no fees and writes no credit notes."""

from datetime import timedelta

import pytest

from fees.accounts import account_of
from fees.models import Charge, CreditNote, Payment
from fees.services import payment_record, tuition_run
from tests.academy.conftest import make_academy
from tests.academy.routes import assert_another_workspace_finds_nothing, assert_follows_the_role_table, url_of
from tests.conftest import in_schema
from tests.customers.fixtures import web_client


@pytest.fixture
def objects(siblings, enrol, next_month, staff):
    family, first, _second = siblings
    enrol(first, on=next_month - timedelta(days=40))
    tuition_run(period=next_month)
    return {"family": family, "charge": Charge.objects.get()}


ROUTES = [
    ("get", "/fees/", {"owner", "admin", "staff"}),
    ("get", "/fees/accounts/f/{family}/", {"owner", "admin", "staff"}),
    ("post", "/fees/accounts/f/{family}/credit-note/", {"owner", "admin"}),
    ("get", "/fees/overdue/", {"owner", "admin"}),
    ("get", "/fees/setup/", {"owner", "admin"}),
]


def call(client, method, url, objects):
    if method == "post":
        return client.post(url, {"charge": objects["charge"].pk, "amount": "1000", "reason": "x"})
    return client.get(url)


@pytest.mark.parametrize(("method", "pattern", "allowed"), ROUTES, ids=[r[1] for r in ROUTES])
def test_each_route_follows_the_role_table(
    client_for, academy, objects, owner, admin, staff, teacher_user, method, pattern, allowed
):
    url = url_of(pattern, objects)
    users = {"teacher": teacher_user, "staff": staff, "admin": admin, "owner": owner}
    assert_follows_the_role_table(
        anonymous=client_for(academy),
        signed_in={role: web_client(client_for, academy, user) for role, user in users.items()},
        send=lambda client: call(client, method, url, objects),
        allowed=allowed,
        snapshot=CreditNote.objects.count,
    )


@pytest.mark.parametrize(("method", "pattern", "allowed"), ROUTES, ids=[r[1] for r in ROUTES])
def test_another_workspaces_owner_finds_nothing(
    client_for, workspaces, objects, beta_owner, method, pattern, allowed
):
    url = url_of(pattern, objects)
    with in_schema(workspaces.beta):
        make_academy(workspaces.beta)
    response = call(web_client(client_for, workspaces.beta, beta_owner), method, url, objects)
    assert_another_workspace_finds_nothing(response, pattern=pattern, hidden="Familia Gómez")
    with in_schema(workspaces.alpha):
        assert not CreditNote.objects.exists() and not Payment.objects.exists()


def test_a_receipt_of_another_workspace_or_for_a_teacher_is_not_shown(
    client_for, workspaces, academy, objects, staff, teacher_user, beta_owner
):
    payment = payment_record(
        account=account_of(objects["charge"].student), amount=1000, method="cash", user=staff
    )
    url = f"/fees/receipts/{payment.number}/"

    assert web_client(client_for, academy, staff).get(url).status_code == 200
    assert web_client(client_for, academy, teacher_user).get(url).status_code == 403
    with in_schema(workspaces.beta):
        make_academy(workspaces.beta)
    assert web_client(client_for, workspaces.beta, beta_owner).get(url).status_code == 404
