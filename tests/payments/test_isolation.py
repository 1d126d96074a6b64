"""Every payments screen against the role table (owners and admins connect providers; the front
desk sends links; teachers nothing), and another workspace's owner finds nothing. The API's
payment-link endpoints are walked by tests/api/test_api_access.py (tokens and sessions of another
workspace, every role)."""

from decimal import Decimal

import pytest

from payments.models import PaymentLink, ProviderConnection
from payments.services import manual_charge_create, payment_link_create
from tests.academy.conftest import make_academy
from tests.academy.routes import assert_another_workspace_finds_nothing, assert_follows_the_role_table, url_of
from tests.conftest import in_schema
from tests.customers.fixtures import web_client


@pytest.fixture
def objects(wompi, owner):
    charge = manual_charge_create(description="Clase suelta Gómez", amount=Decimal("30000"), user=owner)
    return {"link": payment_link_create(kind="manual", ref=charge.pk, created_by=owner)}


ROUTES = [
    ("get", "/payments/", {"owner", "admin", "staff"}),
    ("get", "/payments/new/", {"owner", "admin", "staff"}),
    ("post", "/payments/new/?kind=manual", {"owner", "admin", "staff"}),
    ("get", "/payments/links/{link}/", {"owner", "admin", "staff"}),
    ("post", "/payments/links/{link}/email/", {"owner", "admin", "staff"}),
    ("post", "/payments/links/{link}/cancel/", {"owner", "admin", "staff"}),
    ("get", "/payments/providers/", {"owner", "admin"}),
    ("post", "/payments/providers/wompi/", {"owner", "admin"}),
    ("post", "/payments/providers/wompi/check/", {"owner", "admin"}),
    ("post", "/payments/providers/wompi/disconnect/", {"owner", "admin"}),
]


def call(client, method, url):
    if method == "post":
        # Incomplete or refused input: what the role may do is what is checked, not the outcome.
        return client.post(url, {"email": "", "description": "", "public_key": ""})
    return client.get(url)


def snapshot():
    return (
        list(PaymentLink.objects.values_list("status", "emailed_at")),
        list(ProviderConnection.objects.values_list("is_active", "checked_at", "public_key")),
    )


@pytest.mark.parametrize(("method", "pattern", "allowed"), ROUTES, ids=[f"{r[0]} {r[1]}" for r in ROUTES])
def test_each_route_follows_the_role_table(
    fake, client_for, academy, objects, owner, admin, staff, teacher_user, method, pattern, allowed
):
    fake.get(
        "https://sandbox.wompi.co/v1/merchants/pub_test_alphaPublicKey123", json={"data": {"name": "Alpha"}}
    )
    url = url_of(pattern, objects)
    users = {"teacher": teacher_user, "staff": staff, "admin": admin, "owner": owner}
    assert_follows_the_role_table(
        anonymous=client_for(academy),
        signed_in={role: web_client(client_for, academy, user) for role, user in users.items()},
        send=lambda client: call(client, method, url),
        allowed=allowed,
        snapshot=snapshot,
    )


@pytest.mark.parametrize(("method", "pattern", "allowed"), ROUTES, ids=[f"{r[0]} {r[1]}" for r in ROUTES])
def test_another_workspaces_owner_finds_nothing(
    fake, client_for, workspaces, objects, beta_owner, method, pattern, allowed
):
    url = url_of(pattern, objects)
    with in_schema(workspaces.beta):
        make_academy(workspaces.beta)
    before = snapshot()

    response = call(web_client(client_for, workspaces.beta, beta_owner), method, url)

    if "/providers/" in pattern and method == "post" and "{" not in pattern:
        # beta's own provider routes: they exist there, and touch only beta's rows.
        assert response.status_code in (302, 404)
    else:
        assert_another_workspace_finds_nothing(response, pattern=pattern, hidden="Clase suelta Gómez")
    with in_schema(workspaces.alpha):
        assert snapshot() == before
