"""Lists: search, sort, pages, and the CSV / Excel exports of the filtered rows (inventory/web/listing.py)."""

import csv
import io
from decimal import Decimal

from django.test import RequestFactory
from django.urls import reverse
from openpyxl import load_workbook

from inventory.models import Product
from inventory.services import stock_receive
from inventory.web.listing import PER_PAGE, Column, export_rows, listing_build
from tests.inventory.factories import ProductFactory
from tests.inventory.test_web_catalogue import web_client


def rows_of(response) -> int:
    return response.content.decode().count('data-testid="list-row"')


def names_in_order(response, names) -> list[str]:
    text = response.content.decode()
    return sorted(names, key=text.index)


def csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # so Excel reads the accents
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def xlsx_rows(response) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    return [tuple(row) for row in workbook.active.iter_rows(values_only=True)]


def test_product_list_pages_through_every_product(client_for, alpha, owner):
    ProductFactory.create_batch(PER_PAGE + 3)
    client = web_client(client_for, alpha, owner)
    url = reverse("workspace:product_list")

    first, second = client.get(url), client.get(url, {"page": 2})

    assert (rows_of(first), rows_of(second)) == (PER_PAGE, 3)
    assert "Page 1 of 2" in first.content.decode()
    assert 'rel="next"' in first.content.decode()


def test_product_list_sorts_by_price_both_ways(client_for, alpha, owner):
    ProductFactory(name="Barato", sale_price=Decimal("10"))
    ProductFactory(name="Caro", sale_price=Decimal("900"))
    ProductFactory(name="Medio", sale_price=Decimal("300"))
    client = web_client(client_for, alpha, owner)
    url = reverse("workspace:product_list")

    ascending = client.get(url, {"sort": "sale_price"})
    descending = client.get(url, {"sort": "-sale_price"})

    assert names_in_order(ascending, ["Caro", "Barato", "Medio"]) == ["Barato", "Medio", "Caro"]
    assert names_in_order(descending, ["Caro", "Barato", "Medio"]) == ["Caro", "Medio", "Barato"]
    assert 'aria-sort="descending"' in descending.content.decode()


def test_an_unknown_sort_falls_back_to_the_default(client_for, alpha, owner):
    ProductFactory(name="Zapallo")
    ProductFactory(name="Acelga")
    client = web_client(client_for, alpha, owner)

    response = client.get(reverse("workspace:product_list"), {"sort": "-cost__gt"})

    assert response.status_code == 200
    assert names_in_order(response, ["Zapallo", "Acelga"]) == ["Acelga", "Zapallo"]


def test_csv_export_holds_every_filtered_row_not_one_page(client_for, alpha, owner):
    ProductFactory.create_batch(PER_PAGE + 2, name="Yerba Suave")
    ProductFactory(name="Azúcar", sku="AZU-1", sale_price=Decimal("1234.50"))
    client = web_client(client_for, alpha, owner)
    url = reverse("workspace:product_list")

    every = client.get(url, {"export": "csv"})
    searched = client.get(url, {"export": "csv", "q": "azúcar"})

    assert every["Content-Type"].startswith("text/csv")
    assert "attachment;" in every["Content-Disposition"] and ".csv" in every["Content-Disposition"]
    assert len(csv_rows(every)) == 1 + PER_PAGE + 3
    header, *body = csv_rows(searched)
    assert header[:3] == ["SKU", "Name", "Barcode"]
    assert body == [["AZU-1", "Azúcar", "", "", "Unit", "1234.50", "60.00", "0.000", "1", "1"]]


def test_excel_export_holds_numbers_as_numbers(client_for, alpha, owner, stocked, store):
    ProductFactory(name="Retirado", is_active=False)
    client = web_client(client_for, alpha, owner)

    response = client.get(reverse("workspace:product_list"), {"export": "xlsx"})

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    header, *body = xlsx_rows(response)
    assert header[:2] == ("SKU", "Name")
    assert len(body) == 1  # the inactive product is filtered out, as on screen
    row = dict(zip(header, body[0], strict=True))
    assert (row["SKU"], row["Name"], row["Sale price"], row["Active"]) == (
        "YER-500",
        "Yerba mate 500 g",
        3200,
        True,
    )


def test_exports_are_in_the_users_language(client_for, alpha, owner, stocked, store):
    client = web_client(client_for, alpha, owner, language="es")

    header, *_rows = xlsx_rows(client.get(reverse("workspace:stock_level_list"), {"export": "xlsx"}))

    assert "Producto" in header


def test_stock_movements_export_follows_the_filters(client_for, alpha, owner, stocked, store):
    other = ProductFactory(name="Azúcar")
    client = web_client(client_for, alpha, owner)
    client.post(
        reverse("workspace:stock_adjust"),
        {"product": stocked.pk, "location": store.pk, "quantity": "-1", "reason": "=1+1"},
    )
    del other

    header, *body = xlsx_rows(
        client.get(reverse("workspace:stock_movement_list"), {"kind": "adjustment", "export": "xlsx"})
    )

    row = dict(zip(header, body[0], strict=True))
    assert len(body) == 1
    assert row["Quantity"] == -1
    assert row["Reason"] == "'=1+1"  # never run as a formula


def test_every_list_exports_csv_and_excel(client_for, alpha, owner, stocked):
    client = web_client(client_for, alpha, owner)
    names = [
        "product_list",
        "category_list",
        "location_list",
        "stock_level_list",
        "stock_movement_list",
        "transfer_list",
        "stock_count_list",
        "supplier_list",
        "purchase_order_list",
        "quote_list",
        "expense_list",
        "expense_category_list",
    ]
    for name in names:
        url = reverse(f"workspace:{name}")
        page = client.get(url)
        assert page.status_code == 200, name
        assert 'data-testid="list-export"' in page.content.decode(), name
        assert client.get(url, {"export": "csv"})["Content-Type"].startswith("text/csv"), name
        assert xlsx_rows(client.get(url, {"export": "xlsx"})), name


def test_listing_searches_every_word_over_the_given_fields(alpha):
    ProductFactory(name="Yerba mate 500 g", sku="Y-1")
    ProductFactory(name="Yerba compuesta", sku="Y-2")
    request = RequestFactory().get("/", {"q": "yerba 500"})

    listing = listing_build(
        request,
        Product.objects.all(),
        columns=[Column("name", "Name", "name", sort="name")],
        search_fields=("name", "sku"),
        default_sort="name",
    )

    assert [row.name for row in listing.objects] == ["Yerba mate 500 g"]
    assert listing.total == 1


def test_export_rows_keep_plain_values_and_leave_action_columns_out():
    class Row:
        name = "@SUM(A1)"
        price = Decimal("12.50")
        active = False

    columns = [
        Column("name", "Name", "name"),
        Column("price", "Price", "price", kind=Column.MONEY),
        Column("active", "Active", "active", kind=Column.BOOL),
        Column("edit", "Edit", lambda row: "edit", export=False),
    ]

    assert export_rows([Row()], columns) == (
        ["Name", "Price", "Active"],
        [["'@SUM(A1)", Decimal("12.50"), False]],
    )


def test_lists_do_not_query_once_per_row(client_for, alpha, owner, store, query_log):
    client = web_client(client_for, alpha, owner)
    ProductFactory.create_batch(2)
    with query_log() as few:
        client.get(reverse("workspace:product_list"))
    ProductFactory.create_batch(20)
    with query_log() as many:
        client.get(reverse("workspace:product_list"))

    assert len(many) == len(few)


def test_quantities_show_without_trailing_zeros_in_the_users_language(client_for, alpha, owner, store):
    cheese = ProductFactory(name="Queso", unit=Product.Unit.KG)
    stock_receive(product=cheese, location=store, quantity=Decimal("1250.5"), user=owner)
    client = web_client(client_for, alpha, owner, language="es")

    text = client.get(reverse("workspace:stock_level_list"), {"q": "queso"}).content.decode()

    assert "1.250,5" in text
    assert "1250,500" not in text
