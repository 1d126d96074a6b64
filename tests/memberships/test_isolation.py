"""Every memberships route: anonymous visitors sign in first, another workspace's owner finds
nothing (404), and a role without the permission is refused (403)."""

import pytest

from memberships.models import Entitlement, Offer
from tests.academy.conftest import make_academy
from tests.conftest import in_schema
from tests.customers.fixtures import is_login_redirect, web_client


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


def url_of(pattern, objects):
    return pattern.format(**{key: value.pk for key, value in objects.items()})


def call(client, method, url):
    return client.post(url) if method == "post" else client.get(url)


@pytest.mark.parametrize(("method", "pattern", "allowed"), ROUTES, ids=[r[1] for r in ROUTES])
def test_each_route_follows_the_role_table(
    client_for, academy, objects, owner, admin, staff, teacher_user, method, pattern, allowed
):
    url = url_of(pattern, objects)
    assert is_login_redirect(call(client_for(academy), method, url))
    for role, user in {"admin": admin, "staff": staff, "teacher": teacher_user, "owner": owner}.items():
        response = call(web_client(client_for, academy, user), method, url)
        if role in allowed:
            assert response.status_code in (200, 302), (role, response.status_code)
            assert not is_login_redirect(response)
        else:
            assert response.status_code == 403, (role, response.status_code)


@pytest.mark.parametrize(("method", "pattern", "allowed"), ROUTES, ids=[r[1] for r in ROUTES])
def test_another_workspaces_owner_finds_nothing(
    client_for, workspaces, objects, beta_owner, method, pattern, allowed
):
    url = url_of(pattern, objects)
    with in_schema(workspaces.beta):
        make_academy(workspaces.beta)
    response = call(web_client(client_for, workspaces.beta, beta_owner), method, url)
    if "{" in pattern:
        assert response.status_code == 404, response.status_code
    else:
        assert response.status_code == 200
        assert objects["student"].full_name not in response.text
    with in_schema(workspaces.alpha):
        assert Offer.objects.filter(pk=objects["offer"].pk, is_active=True).exists()
        assert Entitlement.objects.count() == 1 and not Entitlement.objects.get().freezes.exists()
