"""Search forgives accents, case and unfinished codes, in PostgreSQL (unaccent and pg_trgm in the
public schema, reached from every workspace's schema): "cafe" finds "Café molido" and "AZU" finds
AZU-1K in the product list, the stock list, the point of sale and the API."""

from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from api.services import api_token_create
from inventory.selectors import product_list, supplier_list
from inventory.services import stock_receive
from tests.api.conftest import enterprise
from tests.conftest import host_of
from tests.inventory.factories import ProductFactory, SupplierFactory
from tests.team.test_team import signed_in


@pytest.fixture
def pantry(alpha):
    return {
        "coffee": ProductFactory(sku="CAF-250", name="Café molido 250 g"),
        "sugar": ProductFactory(sku="AZU-1K", name="Azúcar 1 kg"),
        "rice": ProductFactory(sku="ARR-500", name="Arroz 500 g"),
    }


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("cafe", {"CAF-250"}),
        ("CAFÉ", {"CAF-250"}),
        ("molido", {"CAF-250"}),
        ("AZU", {"AZU-1K"}),
        ("azu", {"AZU-1K"}),  # the SKU's start and the name without its accent
        ("azucar", {"AZU-1K"}),
        ("ARR-5", {"ARR-500"}),
        ("té", set()),
    ],
)
def test_the_selector_finds_by_name_without_accents_and_by_sku_prefix(pantry, typed, expected):
    assert {product.sku for product in product_list(search=typed)} == expected


def test_the_name_search_uses_the_trigram_index(pantry):
    ProductFactory.create_batch(50)
    with connection.cursor() as cursor:
        # Whatever the table's size and statistics, tell the planner to use an index only if one
        # answers the search's conditions (a bitmap scan): then it must be ours.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    plan = product_list(search="cafe", active=None).explain()
    assert "inventory_product_name_search" in plan and "inventory_product_sku_prefix" in plan, plan


def test_product_list_stock_list_and_pos_find_cafe_and_azu(pantry, client_for, workspaces, owner, store):
    stock_receive(product=pantry["coffee"], location=store, quantity=5, unit_cost=Decimal("9000"), user=owner)
    client = signed_in(client_for, workspaces.alpha, owner)

    products = client.get(reverse("workspace:product_list"), {"q": "cafe"}).content.decode()
    stock = client.get(reverse("workspace:stock_level_list"), {"q": "cafe"}).content.decode()
    pos = client.get(reverse("workspace:sale_product_lookup"), {"q": "AZU", "location": store.pk}).json()

    assert "Café molido 250 g" in products and "Arroz" not in products
    assert "Café molido 250 g" in stock
    assert [row["sku"] for row in pos["results"]] == ["AZU-1K"]


def test_the_api_finds_cafe_and_azu(pantry, workspaces, owner):
    enterprise(workspaces.alpha)
    _token, raw = api_token_create(user=owner, name="till")
    client = APIClient(HTTP_HOST=host_of(workspaces.alpha))
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")

    coffee = client.get("/api/v1/products/", {"search": "cafe"}).json()["results"]
    sugar = client.get("/api/v1/products/", {"search": "AZU"}).json()["results"]

    assert [row["sku"] for row in coffee] == ["CAF-250"]
    assert [row["sku"] for row in sugar] == ["AZU-1K"]


def test_suppliers_are_found_without_accents(alpha):
    SupplierFactory(name="Distribuidora Bogotá", tax_id="900123456-7")

    assert [supplier.name for supplier in supplier_list(search="bogota")] == ["Distribuidora Bogotá"]
    assert [supplier.name for supplier in supplier_list(search="900123456-7")] == ["Distribuidora Bogotá"]
