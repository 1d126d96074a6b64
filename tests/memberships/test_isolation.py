"""Every memberships route: anonymous visitors sign in first, another workspace's owner finds
nothing (404), and a role without the permission is refused (403)."""

import pytest

from memberships.models import Entitlement, Offer
from tests.academy.conftest import make_academy
from tests.academy.routes import assert_another_workspace_finds_nothing, assert_follows_the_role_table, url_of
from tests.conftest import in_schema
from tests.customers.fixtures import web_client


@pytest.fixture
def objects(make_student, make_offer, sell):
    student = make_student()
    offer = make_offer("Mensualidad", kind="membership", price="150000")
    entitlement = sell(offer, student).entitlement
    return {"student": student, "offer": offer, "entitlement": entitlement}


ROUTES = [
    ("get", "/memberships/offers/", {"owner", "admin"}),
    ("post", "/memberships/offers/{offer}/deactivate/", {"owner", "admin"}),
    ("get", "/memberships/students/?q=e", {"owner", "admin", "staff"}),
    ("get", "/memberships/students/{student}/", {"owner", "admin", "staff"}),
    ("post", "/memberships/students/{student}/", {"owner", "admin", "staff"}),
    ("post", "/memberships/entitlements/{entitlement}/freeze/", {"owner", "admin"}),
]


def call(client, method, url):
    return client.post(url) if method == "post" else client.get(url)


@pytest.mark.parametrize(("method", "pattern", "allowed"), ROUTES, ids=[r[1] for r in ROUTES])
def test_each_route_follows_the_role_table(
    client_for, academy, objects, owner, admin, staff, teacher_user, method, pattern, allowed
):
    url = url_of(pattern, objects)
    users = {"admin": admin, "staff": staff, "teacher": teacher_user, "owner": owner}
    assert_follows_the_role_table(
        anonymous=client_for(academy),
        signed_in={role: web_client(client_for, academy, user) for role, user in users.items()},
        send=lambda client: call(client, method, url),
        allowed=allowed,
    )


@pytest.mark.parametrize(("method", "pattern", "allowed"), ROUTES, ids=[r[1] for r in ROUTES])
def test_another_workspaces_owner_finds_nothing(
    client_for, workspaces, objects, beta_owner, method, pattern, allowed
):
    url = url_of(pattern, objects)
    with in_schema(workspaces.beta):
        make_academy(workspaces.beta)
    response = call(web_client(client_for, workspaces.beta, beta_owner), method, url)
    assert_another_workspace_finds_nothing(response, pattern=pattern, hidden=objects["student"].full_name)
    with in_schema(workspaces.alpha):
        assert Offer.objects.filter(pk=objects["offer"].pk, is_active=True).exists()
        assert Entitlement.objects.count() == 1 and not Entitlement.objects.get().freezes.exists()
