"""Product pickers search as you type on the server: purchase-order, transfer and quote forms carry
no list of every product, take any number of lines, and prefill the unit cost from the product;
the lookup answers by name without accents, SKU or barcode prefix, costs only for money roles."""

from decimal import Decimal

import pytest
from django.urls import reverse

from inventory.models import PurchaseOrder
from inventory.services import PurchaseLineInput, purchase_order_create, purchase_order_send
from tests.inventory.factories import ProductFactory, SupplierFactory
from tests.inventory.test_web_purchasing import lines_data
from tests.team.test_team import signed_in

FORMS = ["purchase_order_create", "transfer_create", "quote_create"]


@pytest.mark.parametrize("name", FORMS)
def test_line_forms_carry_no_list_of_products(client_for, workspaces, owner, store, warehouse, name):
    ProductFactory.create_batch(300, name="Producto de catálogo")
    client = signed_in(client_for, workspaces.alpha, owner)

    page = client.get(reverse(f"workspace:{name}")).content.decode()

    assert "Producto de catálogo" not in page
    assert page.count("data-product-picker") >= 3 and "data-add-line" in page
    assert len(page) < 60_000


def test_the_lookup_finds_by_name_sku_and_barcode_with_costs_for_money_roles(
    client_for, workspaces, owner, staff
):
    ProductFactory(sku="CAF-250", name="Café molido 250 g", cost=Decimal("9000"), barcode="7702001012345")
    url = reverse("workspace:product_picker_lookup")
    as_owner = signed_in(client_for, workspaces.alpha, owner)

    by_name = as_owner.get(url, {"q": "cafe"}).json()["results"]
    by_sku = as_owner.get(url, {"q": "CAF"}).json()["results"]
    by_barcode = as_owner.get(url, {"q": "770200"}).json()["results"]
    as_staff = signed_in(client_for, workspaces.alpha, staff).get(url, {"q": "cafe"}).json()["results"]

    assert (
        [row["label"] for row in by_name] == ["CAF-250 · Café molido 250 g"] == [r["label"] for r in by_sku]
    )
    assert by_barcode == by_name and by_name[0]["cost"] == "9000.00"
    assert as_staff[0]["cost"] is None and as_staff[0]["sale_price"] == "100.00"


def test_a_purchase_order_takes_any_number_of_lines_and_an_sku_typed_without_script(
    client_for, workspaces, owner, store
):
    supplier = SupplierFactory()
    products = [ProductFactory(cost=Decimal("1000") + index) for index in range(8)]
    lines = [{"product": product.pk, "quantity": "2"} for product in products[:7]]
    lines.append({"product_search": products[7].sku, "quantity": "1"})
    data = lines_data({"supplier": supplier.pk, "location": store.pk}, *lines)
    data["lines-TOTAL_FORMS"] = "8"
    client = signed_in(client_for, workspaces.alpha, owner)

    response = client.post(reverse("workspace:purchase_order_create"), data)

    assert response.status_code == 302, response.content.decode()[:3000]
    order = PurchaseOrder.objects.get()
    costs = sorted(order.lines.values_list("unit_cost", flat=True))
    assert len(costs) == 8 and costs[0] == Decimal("1000.00") and costs[-1] == Decimal("1007.00")


def test_an_unknown_code_is_an_error_on_its_line_and_nothing_is_saved(client_for, workspaces, owner, store):
    supplier = SupplierFactory()
    data = lines_data(
        {"supplier": supplier.pk, "location": store.pk}, {"product_search": "NOPE", "quantity": "1"}
    )
    client = signed_in(client_for, workspaces.alpha, owner)

    response = client.post(reverse("workspace:purchase_order_create"), data)

    assert response.status_code in (200, 400)
    assert "No product has this SKU or barcode." in response.content.decode()
    assert not PurchaseOrder.objects.exists()


def test_a_draft_order_is_edited_with_its_lines_and_a_sent_one_is_refused(
    client_for, workspaces, owner, store
):
    supplier = SupplierFactory()
    sugar, salt = (
        ProductFactory(sku="AZU-1K", cost=Decimal("3100")),
        ProductFactory(sku="SAL-1K", cost=Decimal("800")),
    )
    order = purchase_order_create(
        supplier=supplier,
        location=store,
        user=owner,
        lines=[PurchaseLineInput(product=sugar, quantity=Decimal("6"))],
    )
    client = signed_in(client_for, workspaces.alpha, owner)
    url = reverse("workspace:purchase_order_edit", args=[order.pk])

    page = client.get(url).content.decode()
    assert "AZU-1K" in page and 'value="6' in page
    data = lines_data(
        {"note": "Llamar antes"},
        {"product": sugar.pk, "quantity": "12", "unit_cost": "3000"},
        {"product": salt.pk, "quantity": "4"},
    )
    data.update({"lines-TOTAL_FORMS": "2", "lines-INITIAL_FORMS": "1"})
    assert client.post(url, data).status_code == 302

    order.refresh_from_db()
    assert order.note == "Llamar antes" and order.total == Decimal("39200.00")
    assert sorted(order.lines.values_list("product__sku", "quantity_ordered")) == [
        ("AZU-1K", Decimal("12.000")),
        ("SAL-1K", Decimal("4.000")),
    ]

    purchase_order_send(order=order, user=owner, notify_supplier=False)
    client.post(url, lines_data({"note": "otra"}, {"product": salt.pk, "quantity": "1"}))
    order.refresh_from_db()
    assert order.note == "Llamar antes" and order.lines.count() == 2
