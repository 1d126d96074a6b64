"""A count sheet can cover one category (and its sub-categories) and only what is stocked at the
location, instead of every product; the open sheet shows the quantity expected on each line."""

from decimal import Decimal

from django.urls import reverse

from inventory.models import StockCount
from inventory.services import stock_receive
from tests.inventory.factories import CategoryFactory, ProductFactory
from tests.team.test_team import signed_in


def test_a_count_of_one_category_stocked_here_lists_those_products_with_their_expected_quantity(
    client_for, workspaces, owner, store, warehouse
):
    pantry = CategoryFactory(name="Despensa")
    sugar = ProductFactory(sku="AZU-1K", name="Azúcar 1 kg", category=pantry)
    salt = ProductFactory(sku="SAL-1K", name="Sal 1 kg", category=pantry)
    soap = ProductFactory(sku="JAB-1", name="Jabón", category=CategoryFactory(name="Aseo"))
    stock_receive(product=sugar, location=store, quantity=46, unit_cost=Decimal("3100"), user=owner)
    stock_receive(product=soap, location=store, quantity=5, unit_cost=Decimal("900"), user=owner)
    stock_receive(product=salt, location=warehouse, quantity=9, unit_cost=Decimal("800"), user=owner)
    ProductFactory.create_batch(20)
    client = signed_in(client_for, workspaces.alpha, owner)

    created = client.post(
        reverse("workspace:stock_count_create"),
        {"location": store.pk, "category": pantry.pk, "stocked_here": "on"},
    )

    count = StockCount.objects.get()
    assert created.status_code == 302
    assert list(count.lines.values_list("product__sku", flat=True)) == ["AZU-1K"]
    page = client.get(reverse("workspace:stock_count_detail", args=[count.pk])).content.decode()
    assert 'data-testid="expected">46<' in page
