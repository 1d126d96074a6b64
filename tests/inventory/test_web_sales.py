"""The sales screens through HTTP: the role table, other workspaces kept out, the POS recording a
sale (or nothing), void and return from the detail page, and the list's exports."""

import csv
import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import User
from inventory.models import Location, Product, Sale, SaleReturn, StockMovement
from inventory.services import SaleLineInput, sale_create
from plans.models import Plan
from tests.conftest import in_schema
from tests.inventory.conftest import on_hand
from tests.inventory.factories import LocationFactory, ProductFactory
from tests.team.test_team import sign_in, signed_in

OWNER, ADMIN, STAFF, ANONYMOUS, OTHER_WORKSPACE = "owner", "admin", "staff", "anonymous", "other_workspace"
LOGIN = "login"


def expect(owner, admin, staff, anonymous=LOGIN, other_workspace=LOGIN):
    return {OWNER: owner, ADMIN: admin, STAFF: staff, ANONYMOUS: anonymous, OTHER_WORKSPACE: other_workspace}


@pytest.fixture
def sale(stocked, store, owner) -> Sale:
    """A sale made today at ``store``: 2 units of ``stocked`` (6400), paid cash with 10000."""
    return sale_create(
        location=store,
        seller=owner,
        lines=[SaleLineInput(stocked, Decimal("2"))],
        amount_tendered=Decimal("10000"),
        customer_name="Marta Gómez",
    )


@pytest.fixture
def client_as(client_for, workspaces, owner, admin, staff):
    """client_as(visitor) -> a client of alpha's host, signed in as that visitor (English)."""
    users = {OWNER: owner, ADMIN: admin, STAFF: staff}

    def make(visitor):
        if visitor == ANONYMOUS:
            return client_for(workspaces.alpha)
        if visitor == OTHER_WORKSPACE:
            beta = client_for(workspaces.beta)
            assert sign_in(beta, "owner@beta.test").status_code == 302
            client = client_for(workspaces.alpha)
            client.cookies["sessionid"] = beta.cookies["sessionid"].value
            connection.set_tenant(workspaces.alpha)  # signing in to beta switched the schema
            return client
        return signed_in(client_for, workspaces.alpha, users[visitor])

    return make


def sale_post(location, product, quantity="1", **extra):
    data = {
        "location": location.pk,
        "payment_method": "cash",
        "amount_tendered": "",
        "customer_name": "",
        "line_product": [product.pk],
        "line_quantity": [quantity],
        "line_discount": ["0"],
    }
    data.update(extra)
    return data


# (URL name, method, needs the sale, POST data maker, expected per visitor)
VIEWS = [
    ("workspace:sale_pos", "get", False, None, expect(200, 200, 200)),
    ("workspace:sale_pos", "post", False, "sale", expect(302, 302, 302)),
    ("workspace:sale_product_lookup", "get", False, None, expect(200, 200, 200)),
    ("workspace:sale_list", "get", False, None, expect(200, 200, 200)),
    ("workspace:sale_export_csv", "get", False, None, expect(200, 200, 403)),
    ("workspace:sale_export_xlsx", "get", False, None, expect(200, 200, 403)),
    ("workspace:sale_detail", "get", True, None, expect(200, 200, 200)),
    ("workspace:sale_receipt", "get", True, None, expect(200, 200, 200)),
    ("workspace:sale_void", "post", True, {"reason": "Wrong product"}, expect(302, 302, 403)),
    ("workspace:sale_return", "post", True, {"reason": "Broken", "everything": "on"}, expect(302, 302, 403)),
]


@pytest.mark.parametrize("visitor", [OWNER, ADMIN, STAFF, ANONYMOUS, OTHER_WORKSPACE])
@pytest.mark.parametrize(("name", "method", "needs_sale", "data", "expected"), VIEWS)
def test_role_table_of_the_sales_views(
    visitor, name, method, needs_sale, data, expected, client_as, sale, store, stocked
):
    client = client_as(visitor)
    url = reverse(name, kwargs={"sale_id": sale.pk} if needs_sale else {})
    sales_before = Sale.objects.count()
    status_before = Sale.objects.get(pk=sale.pk).status
    if method == "get":
        response = client.get(url, {"q": "YER-500"} if name.endswith("lookup") else {})
    else:
        response = client.post(url, sale_post(store, stocked) if data == "sale" else data)
    wanted = expected[visitor]
    if wanted == LOGIN:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == wanted
    if wanted in (LOGIN, 403):
        assert Sale.objects.count() == sales_before
        assert Sale.objects.get(pk=sale.pk).status == status_before
        assert not SaleReturn.objects.exists()


def test_a_sale_through_the_pos_records_its_lines_and_movements(client_as, stocked, store):
    other = ProductFactory(sku="TE-20", name="Té verde", sale_price=Decimal("1500.00"), tracks_stock=False)
    client = client_as(STAFF)
    response = client.post(
        reverse("workspace:sale_pos"),
        {
            "location": store.pk,
            "payment_method": "cash",
            "amount_tendered": "20000",
            "customer_name": "Juan",
            "line_product": [stocked.pk, other.pk],
            "line_quantity": ["3", "2"],
            "line_discount": ["200", ""],
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    sale = Sale.objects.get()
    assert response["Location"] == reverse("workspace:sale_receipt", kwargs={"sale_id": sale.pk})
    assert sale.total == Decimal("3") * 3200 - 200 + 2 * 1500
    assert sale.change_due == Decimal("20000") - sale.total
    assert sale.customer_name == "Juan"
    assert [(line.product_id, line.quantity) for line in sale.lines.order_by("pk")] == [
        (stocked.pk, 3),
        (other.pk, 2),
    ]
    movement = StockMovement.objects.get(sale=sale)
    assert movement.product_id == stocked.pk and movement.quantity == -3
    assert on_hand(stocked, store) == 7
    receipt = client.get(response["Location"])
    assert receipt.status_code == 200
    assert b'data-testid="receipt"' in receipt.content
    assert "Yerba mate 500 g" in receipt.content.decode()


def test_a_sale_with_insufficient_stock_is_refused_and_records_nothing(client_as, stocked, store):
    movements = StockMovement.objects.count()
    response = client_as(OWNER).post(reverse("workspace:sale_pos"), sale_post(store, stocked, "11"))
    assert response.status_code == 400
    assert "Not enough stock of Yerba mate 500 g" in response.content.decode()
    assert not Sale.objects.exists()
    assert StockMovement.objects.count() == movements
    assert on_hand(stocked, store) == 10
    # The ticket comes back with its line, so the cashier can fix the quantity.
    assert '"sku": "YER-500"' in response.content.decode()


def test_a_refused_sale_speaks_the_users_language(client_for, workspaces, stocked, store, owner):
    client = signed_in(client_for, workspaces.alpha, owner, language="es")
    response = client.post(reverse("workspace:sale_pos"), sale_post(store, stocked, "1", amount_tendered="5"))
    assert response.status_code == 400
    assert 'lang="es"' in response.content.decode()
    assert not Sale.objects.exists()


def test_cash_below_the_total_is_refused(client_as, stocked, store):
    response = client_as(OWNER).post(
        reverse("workspace:sale_pos"), sale_post(store, stocked, "1", amount_tendered="100")
    )
    assert response.status_code == 400
    assert "less than the total" in response.content.decode()
    assert not Sale.objects.exists()
    assert on_hand(stocked, store) == 10


def test_a_sale_without_lines_or_location_is_refused(client_as, stocked, store):
    client = client_as(OWNER)
    empty = client.post(reverse("workspace:sale_pos"), {"location": store.pk, "payment_method": "cash"})
    assert empty.status_code == 400 and "Add at least one product." in empty.content.decode()
    nowhere = client.post(reverse("workspace:sale_pos"), {**sale_post(store, stocked), "location": ""})
    assert nowhere.status_code == 400
    assert not Sale.objects.exists()


def test_the_lookup_finds_by_code_and_by_name_with_the_stock_there(client_as, stocked, store):
    ProductFactory(sku="YER-1K", name="Yerba mate 1 kg", barcode="7790000000017")
    client = client_as(STAFF)
    url = reverse("workspace:sale_product_lookup")
    scanned = client.get(url, {"q": "7790000000017"}).json()
    assert scanned["exact"] is True and [p["sku"] for p in scanned["results"]] == ["YER-1K"]
    typed = client.get(url, {"q": "yerba", "location": store.pk}).json()
    assert typed["exact"] is False
    assert {p["sku"]: p["on_hand"] for p in typed["results"]} == {"YER-1K": "0", "YER-500": "10.000"}


# --- Other workspaces --------------------------------------------------------------------------


@pytest.fixture
def beta_things(workspaces):
    """A location, a product and a sale of beta (rolled back with the test)."""
    with in_schema(workspaces.beta):
        location = LocationFactory(name="Beta Store")
        product = ProductFactory(sku="BETA-ONLY", name="Beta thing", tracks_stock=False)
        owner = User.objects.get(email="owner@beta.test")
        beta_sale = sale_create(location=location, seller=owner, lines=[SaleLineInput(product, Decimal(1))])
    return {"location": location, "product": product, "sale": beta_sale}


def test_another_workspaces_ids_are_not_found(client_as, beta_things, alpha):
    assert not Sale.objects.filter(pk=beta_things["sale"].pk).exists()
    client = client_as(OWNER)
    sale_id = beta_things["sale"].pk
    for name in ("workspace:sale_detail", "workspace:sale_receipt"):
        assert client.get(reverse(name, kwargs={"sale_id": sale_id})).status_code == 404
    for name in ("workspace:sale_void", "workspace:sale_return"):
        response = client.post(
            reverse(name, kwargs={"sale_id": sale_id}), {"reason": "x", "everything": "on"}
        )
        assert response.status_code == 404
    lookup = client.get(reverse("workspace:sale_product_lookup"), {"q": "BETA-ONLY"}).json()
    assert lookup["results"] == []


def test_another_workspaces_product_or_location_cannot_be_sold(client_as, beta_things, store, stocked):
    client = client_as(OWNER)
    if not Product.objects.filter(pk=beta_things["product"].pk).exists():
        response = client.post(reverse("workspace:sale_pos"), sale_post(store, beta_things["product"]))
        assert response.status_code == 400
    if not Location.objects.filter(pk=beta_things["location"].pk).exists():
        response = client.post(reverse("workspace:sale_pos"), sale_post(beta_things["location"], stocked))
        assert response.status_code == 404
    assert not Sale.objects.exists()


# --- Void and return ---------------------------------------------------------------------------


def test_void_needs_a_reason_and_brings_the_stock_back(client_as, sale, stocked, store):
    client = client_as(ADMIN)
    url = reverse("workspace:sale_void", kwargs={"sale_id": sale.pk})
    refused = client.post(url, {"reason": ""}, follow=True)
    assert "Please give a reason." in refused.content.decode()
    sale.refresh_from_db()
    assert sale.status == Sale.Status.COMPLETED and on_hand(stocked, store) == 8
    response = client.post(url, {"reason": "Wrong product"}, follow=True)
    sale.refresh_from_db()
    assert sale.status == Sale.Status.VOIDED and sale.void_reason == "Wrong product"
    assert on_hand(stocked, store) == 10
    assert f"Sale {sale.number} voided." in response.content.decode()


def test_a_second_void_is_refused_with_a_message(client_as, sale):
    client = client_as(OWNER)
    url = reverse("workspace:sale_void", kwargs={"sale_id": sale.pk})
    client.post(url, {"reason": "Once"})
    response = client.post(url, {"reason": "Twice"}, follow=True)
    assert "already voided" in response.content.decode()
    sale.refresh_from_db()
    assert sale.void_reason == "Once"


def test_a_return_of_one_line_then_all_that_is_left(client_as, sale, stocked, store):
    client = client_as(OWNER)
    url = reverse("workspace:sale_return", kwargs={"sale_id": sale.pk})
    line = sale.lines.get()
    client.post(url, {"reason": "Broken", f"return_{line.pk}": "1"})
    line.refresh_from_db()
    assert line.returned_quantity == 1 and on_hand(stocked, store) == 9
    too_many = client.post(url, {"reason": "Broken", f"return_{line.pk}": "5"}, follow=True)
    assert "can still be returned" in too_many.content.decode()
    assert SaleReturn.objects.count() == 1
    client.post(url, {"reason": "Rest", "everything": "on"})
    line.refresh_from_db()
    assert line.returned_quantity == 2 and on_hand(stocked, store) == 10
    assert sum(r.refund_total for r in SaleReturn.objects.all()) == sale.total
    detail = client.get(reverse("workspace:sale_detail", kwargs={"sale_id": sale.pk}))
    assert detail.content.decode().count('data-testid="sale-return"') == 2


def test_a_return_without_reason_or_lines_records_nothing(client_as, sale):
    client = client_as(OWNER)
    url = reverse("workspace:sale_return", kwargs={"sale_id": sale.pk})
    line = sale.lines.get()
    client.post(url, {"reason": "", f"return_{line.pk}": "1"})
    client.post(url, {"reason": "Nothing chosen"})
    assert not SaleReturn.objects.exists()


# --- List and exports --------------------------------------------------------------------------


@pytest.fixture
def three_sales(stocked, store, warehouse, owner):
    other = ProductFactory(sku="SRV-1", name="Servicio", tracks_stock=False, sale_price=Decimal("500"))
    sales = [
        sale_create(
            location=store, seller=owner, lines=[SaleLineInput(stocked, Decimal(1))], customer_name="Ana"
        ),
        sale_create(
            location=warehouse,
            seller=owner,
            lines=[SaleLineInput(other, Decimal(1))],
            customer_name="Bruno",
            payment_method="card",
        ),
        sale_create(
            location=store, seller=owner, lines=[SaleLineInput(other, Decimal(2))], customer_name="Ana"
        ),
    ]
    return sales


def numbers_listed(response) -> list[int]:
    return [
        int(n) for n in re.findall(r'data-testid="sale-row" data-number="(\d+)"', response.content.decode())
    ]


def test_the_list_filters_by_customer_number_location_and_method(client_as, three_sales, store):
    client = client_as(STAFF)
    url = reverse("workspace:sale_list")
    first, second, third = three_sales
    assert numbers_listed(client.get(url)) == [third.number, second.number, first.number]
    assert numbers_listed(client.get(url, {"q": "ana"})) == [third.number, first.number]
    assert numbers_listed(client.get(url, {"q": str(second.number)})) == [second.number]
    assert numbers_listed(client.get(url, {"location": store.pk, "sort": "total"})) == [
        third.number,
        first.number,
    ]
    assert numbers_listed(client.get(url, {"payment_method": "card"})) == [second.number]
    assert client.get(url, {"location": "999999"}).status_code == 404


def test_the_csv_export_holds_the_filtered_rows(client_as, three_sales):
    response = client_as(OWNER).get(reverse("workspace:sale_export_csv"), {"q": "Ana"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][0] == "Number"
    assert sorted(int(row[0]) for row in rows[1:]) == [three_sales[0].number, three_sales[2].number]
    assert {row[4] for row in rows[1:]} == {"Ana"}


def test_the_excel_export_holds_the_filtered_rows(client_as, three_sales):
    response = client_as(ADMIN).get(reverse("workspace:sale_export_xlsx"), {"payment_method": "card"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Number"
    assert [row[0] for row in rows[1:]] == [three_sales[1].number]
    assert rows[1][4] == "Bruno" and Decimal(str(rows[1][10])) == Decimal("500")


def test_export_cells_that_look_like_formulas_are_neutralised(client_as, stocked, store, owner):
    sale_create(
        location=store,
        seller=owner,
        lines=[SaleLineInput(stocked, Decimal(1))],
        customer_name="=HYPERLINK(1)",
    )
    response = client_as(OWNER).get(reverse("workspace:sale_export_csv"))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text


def test_an_older_sale_offers_a_return_but_no_void(client_as, stocked, store, owner):
    old = sale_create(
        location=store,
        seller=owner,
        lines=[SaleLineInput(stocked, Decimal(1))],
        occurred_at=timezone.now() - timedelta(days=3),
    )
    client = client_as(OWNER)
    detail = client.get(reverse("workspace:sale_detail", kwargs={"sale_id": old.pk})).content.decode()
    assert reverse("workspace:sale_void", kwargs={"sale_id": old.pk}) not in detail
    assert reverse("workspace:sale_return", kwargs={"sale_id": old.pk}) in detail
    refused = client.post(
        reverse("workspace:sale_void", kwargs={"sale_id": old.pk}), {"reason": "Late"}, follow=True
    )
    assert "sales can be voided; record a return instead." in refused.content.decode()
    old.refresh_from_db()
    assert old.status == Sale.Status.COMPLETED and on_hand(stocked, store) == 9


def test_a_sale_past_the_plans_limit_is_refused_and_records_nothing(client_as, workspaces, stocked, store):
    Plan.objects.filter(pk=workspaces.alpha.plan_id).update(max_sales_per_month=0)  # rolled back
    response = client_as(OWNER).post(reverse("workspace:sale_pos"), sale_post(store, stocked))
    assert response.status_code == 400
    assert "Your plan allows" in response.content.decode()
    assert not Sale.objects.exists()
    assert on_hand(stocked, store) == 10
