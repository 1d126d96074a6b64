"""Tokens, plan gating, errors, pagination, filters, throttling and the schema of the staff API."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from api.models import ApiToken
from api.services import api_token_create
from tenants.models import Tenant
from tests.api.conftest import enterprise
from tests.conftest import in_schema
from tests.inventory.factories import CategoryFactory, LocationFactory, ProductFactory


def test_a_token_is_shown_once_and_stored_hashed(api_for, tokens, team):
    response = api_for(tokens["staff"]).post("/api/v1/tokens/", {"name": "Caja 2"}, format="json")
    assert response.status_code == 201
    raw = response.json()["token"]
    stored = ApiToken.objects.get(pk=response.json()["id"])
    assert raw not in (stored.key_hash, stored.prefix) and stored.key_hash == ApiToken.hash_key(raw)
    listed = api_for(raw).get("/api/v1/tokens/").json()["results"]
    assert all("token" not in row for row in listed)
    assert ApiToken.objects.get(pk=stored.pk).last_used_at is not None


def test_a_revoked_token_no_longer_authenticates(api_for, team):
    token, raw = api_token_create(user=team["owner"], name="old")
    client = api_for(raw)
    assert client.delete(f"/api/v1/tokens/{token.pk}/").status_code == 204
    response = client.get("/api/v1/products/")
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_token"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_another_users_token_cannot_be_revoked(api_for, tokens, team):
    token, _raw = api_token_create(user=team["owner"], name="mine")
    assert api_for(tokens["staff"]).delete(f"/api/v1/tokens/{token.pk}/").status_code == 404
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_a_plan_without_api_is_refused(api_for, tokens, workspaces):
    enterprise(workspaces.alpha, has_api=False)
    response = api_for(tokens["owner"]).get("/api/v1/products/")
    assert response.status_code == 403
    assert response.json()["code"] == "plan_without_api"


def test_profesional_plan_has_no_api(client_for, workspaces, db):
    # beta stays on its own plan (profesional: has_api False); a session of its owner is refused.
    client = client_for(workspaces.beta)
    with in_schema(workspaces.beta):
        client.force_login(User.objects.get(email="owner@beta.test"))
    assert Tenant.objects.get(pk=workspaces.beta.pk).plan.has_api is False
    response = client.get("/api/v1/products/")
    assert response.status_code in (401, 403)


def test_errors_are_json_with_fields_in_the_callers_language(api_for, tokens):
    client = api_for(tokens["owner"])
    response = client.post(
        "/api/v1/products/", {"sku": "", "sale_price": "-1"}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and body["detail"] == "Invalid input."
    assert set(body["fields"]) >= {"sku", "name", "sale_price"}
    spanish = client.post("/api/v1/products/", {}, format="json", HTTP_ACCEPT_LANGUAGE="es")
    assert spanish.json()["detail"] != "Invalid input."


def test_a_domain_error_becomes_detail_and_code(api_for, tokens, product, store):
    response = api_for(tokens["owner"]).post(
        "/api/v1/sales/",
        {"location": store.pk, "lines": [{"product": product.pk, "quantity": "3"}]},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "insufficient_stock"
    assert "Not enough stock" in response.json()["detail"]


def test_product_list_is_paginated_by_cursor_filtered_and_without_n_plus_1(api_for, tokens, alpha):
    category = CategoryFactory(name="Almacén")
    child = CategoryFactory(name="Infusiones", parent=category)
    for index in range(7):
        ProductFactory(name=f"Té {index}", category=child)
    ProductFactory(name="Otro")
    client = api_for(tokens["staff"])
    client.get("/api/v1/products/")  # the token's last use is written once a minute
    with CaptureQueriesContext(connection) as few:
        client.get(f"/api/v1/products/?page_size=1&category={category.pk}")
    with CaptureQueriesContext(connection) as many:
        first = client.get(f"/api/v1/products/?page_size=5&category={category.pk}")
    assert len(many) == len(few)
    page = first.json()
    assert len(page["results"]) == 5 and page["next"]
    second = client.get(page["next"]).json()
    assert len(second["results"]) == 2 and second["next"] is None
    names = [row["name"] for row in page["results"] + second["results"]]
    assert names == sorted(names) and "Otro" not in names
    assert client.get("/api/v1/products/?category=999999").status_code == 400
    assert client.get("/api/v1/products/?cursor=garbage").status_code == 404


def test_stock_level_and_sale_lists_do_not_query_per_row(api_for, tokens, team, store):
    from inventory.services import SaleLineInput, sale_create, stock_receive

    client = api_for(tokens["owner"])

    def counts():
        with CaptureQueriesContext(connection) as levels:
            assert client.get("/api/v1/stock-levels/").status_code == 200
        with CaptureQueriesContext(connection) as sales:
            assert client.get("/api/v1/sales/").status_code == 200
        with CaptureQueriesContext(connection) as movements:
            assert client.get("/api/v1/stock-movements/").status_code == 200
        return len(levels), len(sales), len(movements)

    product = ProductFactory()
    stock_receive(product=product, location=store, quantity=50, user=team["owner"])
    sale_create(location=store, seller=team["owner"], lines=[SaleLineInput(product, Decimal(1))])
    counts()  # the token's last use is written once a minute
    before = counts()
    for _ in range(5):
        other = ProductFactory()
        stock_receive(product=other, location=LocationFactory(), quantity=5, user=team["owner"])
        sale_create(location=store, seller=team["owner"], lines=[SaleLineInput(product, Decimal(1))])
    assert counts() == before


def test_throttling_follows_the_plan_with_429_and_retry_after(api_for, tokens, workspaces):
    enterprise(workspaces.alpha, api_requests_per_minute=3)
    client = api_for(tokens["staff"])
    assert [client.get("/api/v1/locations/").status_code for _ in range(3)] == [200] * 3
    response = client.get("/api/v1/locations/")
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert 0 < int(response["Retry-After"]) <= 60  # whole seconds, within the minute window
    # Another token has its own counter.
    assert api_for(tokens["owner"]).get("/api/v1/locations/").status_code == 200


def test_schema_and_docs_are_served_without_a_cdn(api_for):
    client = api_for()
    schema = client.get("/api/schema/?format=json")
    assert schema.status_code == 200
    assert "/api/v1/sales/" in schema.json()["paths"]
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "cdn." not in html and "jsdelivr" not in html and "unpkg" not in html


@pytest.mark.parametrize("path", ["/api/v1/products/", "/api/v1/sales/"])
def test_without_credentials_the_answer_is_401(api_for, path):
    response = api_for().get(path)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_an_unknown_api_path_is_a_json_404(api_for, tokens):
    response = api_for(tokens["owner"]).post(
        "/api/v1/transfers/null,null/receive/", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
