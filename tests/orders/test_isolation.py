"""Every orders route: anonymous visitors sign in first, each role by the table, another workspace's
owner finds nothing; the API the same with tokens (tests/api/test_api_access.py walks every
endpoint with another workspace's token and session and every role)."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from api.services import api_token_create
from orders.models import Order
from orders.services import OrderLineInput, order_place
from tests.academy.routes import assert_another_workspace_finds_nothing, assert_follows_the_role_table, url_of
from tests.api.conftest import enterprise
from tests.conftest import host_of, in_schema
from tests.customers.fixtures import web_client
from tests.orders.conftest import PHONE


@pytest.fixture
def objects(cafe, pastry):
    order = order_place(
        location=cafe,
        lines=[OrderLineInput(pastry, Decimal(1))],
        customer_name="Clienta Alfa",
        customer_phone=PHONE,
    )
    return {"order": order, "location": cafe}


ROUTES = [
    ("get", "/orders/", {"owner", "admin", "staff"}),
    ("get", "/orders/board.json", {"owner", "admin", "staff"}),
    ("get", "/orders/new/", {"owner", "admin", "staff"}),
    ("get", "/orders/{order}/", {"owner", "admin", "staff"}),
    ("post", "/orders/{order}/move/", {"owner", "admin", "staff"}),
    ("get", "/orders/settings/", {"owner", "admin"}),
    ("post", "/orders/settings/", {"owner", "admin"}),
    ("get", "/orders/locations/{location}/hours/", {"owner", "admin"}),
    ("post", "/orders/locations/{location}/hours/", {"owner", "admin"}),
]


def call(client, method, url):
    return client.post(url) if method == "post" else client.get(url)


def snapshot():
    return list(Order.objects.values_list("pk", "status", "payment_status").order_by("pk"))


@pytest.mark.parametrize(("method", "pattern", "allowed"), ROUTES, ids=[f"{r[0]} {r[1]}" for r in ROUTES])
def test_each_route_follows_the_role_table(
    client_for, alpha, objects, owner, admin, staff, teacher_user, method, pattern, allowed
):
    url = url_of(pattern, objects)
    users = {"owner": owner, "admin": admin, "staff": staff, "teacher": teacher_user}
    assert_follows_the_role_table(
        anonymous=client_for(alpha),
        signed_in={role: web_client(client_for, alpha, user) for role, user in users.items()},
        send=lambda client: call(client, method, url),
        allowed=allowed,
        snapshot=snapshot,
    )


@pytest.mark.parametrize(("method", "pattern", "allowed"), ROUTES, ids=[f"{r[0]} {r[1]}" for r in ROUTES])
def test_another_workspaces_owner_finds_nothing(
    client_for, workspaces, objects, beta_owner, method, pattern, allowed
):
    url = url_of(pattern, objects)
    response = call(web_client(client_for, workspaces.beta, beta_owner), method, url)
    if pattern.endswith("move/") or "{" not in pattern:
        assert response.status_code in (200, 302, 404)
        assert "Clienta Alfa" not in response.content.decode()
    else:
        assert_another_workspace_finds_nothing(response, pattern=pattern, hidden="Clienta Alfa")
    with in_schema(workspaces.alpha):
        assert Order.objects.get(pk=objects["order"].pk).status == Order.Status.NEW


def test_a_session_of_another_workspace_is_a_stranger_on_the_board(
    client_for, workspaces, objects, beta_owner
):
    beta = web_client(client_for, workspaces.beta, beta_owner)
    stranger = client_for(workspaces.alpha)
    stranger.cookies = beta.cookies
    response = stranger.get("/orders/board.json")
    assert response.status_code == 302 and "Clienta Alfa" not in response.content.decode()


def test_the_api_places_and_moves_orders_for_staff_only_in_their_workspace(
    workspaces, objects, staff, coffee, cafe
):
    enterprise(workspaces.alpha)
    client = APIClient(HTTP_HOST=host_of(workspaces.alpha))
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=staff, name='tablet')[1]}")

    created = client.post(
        "/api/v1/orders/",
        {
            "location": cafe.pk,
            "fulfilment": "table",
            "table": "3",
            "lines": [{"product": coffee.pk, "quantity": "2"}],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["source"] == "api" and body["total"] == "4000.00" and body["number"] == 2
    listed = client.get("/api/v1/orders/", {"status": "new"}).json()
    assert {row["id"] for row in listed["results"]} == {objects["order"].pk, body["id"]}
    moved = client.post(f"/api/v1/orders/{body['id']}/move/", {"status": "delivered"}, format="json")
    assert moved.status_code == 409 and moved.json()["code"] == "invalid_status"
    moved = client.post(f"/api/v1/orders/{body['id']}/move/", {"status": "accepted"}, format="json")
    assert moved.status_code == 200 and moved.json()["status"] == "accepted"

    enterprise(workspaces.beta)
    with in_schema(workspaces.beta):
        from accounts.models import User

        beta_owner = User.objects.get(email="owner@beta.test")
        raw = api_token_create(user=beta_owner, name="beta")[1]
    beta = APIClient(HTTP_HOST=host_of(workspaces.beta))
    beta.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert beta.get(f"/api/v1/orders/{body['id']}/").status_code == 404
    assert beta.get("/api/v1/orders/").json()["results"] == []


@pytest.mark.parametrize(
    "payload",
    [
        {"location": "abc", "lines": []},
        {"lines": [{"product": 1, "quantity": "1e99"}]},
        {"fulfilment": "table", "lines": [{"product": 999999999999, "quantity": "1"}]},
        {"customer_phone": "\x00", "lines": [{"product": 1, "quantity": "-1"}]},
    ],
)
def test_the_api_refuses_malformed_orders_with_400(workspaces, objects, staff, payload):
    enterprise(workspaces.alpha)
    client = APIClient(HTTP_HOST=host_of(workspaces.alpha))
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=staff, name='tablet')[1]}")
    response = client.post("/api/v1/orders/", {"location": objects["location"].pk, **payload}, format="json")
    assert response.status_code == 400, response.content
    assert Order.objects.count() == 1
