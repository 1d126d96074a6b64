"""The purchasing screens: suppliers, purchase orders, quotes and expenses."""

from datetime import timedelta
from decimal import Decimal

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from inventory.models import Expense, ExpenseCategory, PurchaseOrder, Quote, Sale, Supplier
from inventory.services import (
    PurchaseLineInput,
    SaleLineInput,
    purchase_order_create,
    purchase_order_send,
    quote_create,
)
from tests.inventory.conftest import on_hand
from tests.inventory.factories import ExpenseCategoryFactory, ProductFactory, SupplierFactory
from tests.inventory.test_web_catalogue import web_client


def lines_data(prefix_data: dict, *lines) -> dict:
    data = {
        **prefix_data,
        "lines-TOTAL_FORMS": "5",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "1000",
    }
    for index, line in enumerate(lines):
        for field, value in line.items():
            data[f"lines-{index}-{field}"] = value
    return data


def draft_order(owner, supplier, store, product, quantity=10):
    return purchase_order_create(
        supplier=supplier,
        location=store,
        user=owner,
        lines=[PurchaseLineInput(product, Decimal(quantity), Decimal("1500"))],
    )


# --- Suppliers ---------------------------------------------------------------------------------


def test_supplier_create_and_edit(client_for, alpha, owner):
    client = web_client(client_for, alpha, owner)

    client.post(
        reverse("workspace:supplier_create"), {"name": "Yerbatera del Sur", "email": "ventas@sur.example.com"}
    )
    supplier = Supplier.objects.get(name="Yerbatera del Sur")
    response = client.post(
        reverse("workspace:supplier_update", args=[supplier.pk]),
        {
            "name": "Yerbatera del Sur",
            "email": "pedidos@sur.example.com",
            "phone": "+54 11 5555",
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    supplier.refresh_from_db()
    assert (supplier.email, supplier.phone) == ("pedidos@sur.example.com", "+54 11 5555")


def test_supplier_with_a_taken_name_is_refused(client_for, alpha, owner):
    SupplierFactory(name="Yerbatera del Sur")
    client = web_client(client_for, alpha, owner)

    response = client.post(reverse("workspace:supplier_create"), {"name": "Yerbatera del Sur"})

    assert response.status_code == 400
    assert 'data-field="name"' in response.content.decode()
    assert Supplier.objects.filter(name="Yerbatera del Sur").count() == 1


# --- Purchase orders -------------------------------------------------------------------------------


def test_purchase_order_create_with_lines(client_for, alpha, owner, product, store):
    supplier = SupplierFactory()
    sugar = ProductFactory(name="Azúcar", cost=Decimal("900"))
    client = web_client(client_for, alpha, owner)

    response = client.post(
        reverse("workspace:purchase_order_create"),
        lines_data(
            {"supplier": supplier.pk, "location": store.pk, "note": "Entregar por la mañana"},
            {"product": product.pk, "quantity": "10", "unit_cost": "1500"},
            {"product": sugar.pk, "quantity": "4"},
        ),
    )

    order = PurchaseOrder.objects.get()
    assert response["Location"] == reverse("workspace:purchase_order_detail", args=[order.pk])
    assert order.status == PurchaseOrder.Status.DRAFT
    assert order.total == Decimal("18600.00")  # 10 × 1500 + 4 × 900 (the product's cost)
    assert sorted(order.lines.values_list("quantity_ordered", flat=True)) == [Decimal("4"), Decimal("10")]


def test_purchase_order_without_lines_is_refused(client_for, alpha, owner, store):
    supplier = SupplierFactory()
    client = web_client(client_for, alpha, owner)

    response = client.post(
        reverse("workspace:purchase_order_create"),
        lines_data({"supplier": supplier.pk, "location": store.pk}),
    )

    assert response.status_code == 400
    assert "Add at least one product." in response.content.decode()
    assert not PurchaseOrder.objects.exists()


def test_sending_an_order_emails_the_supplier(
    client_for, alpha, owner, product, store, django_capture_on_commit_callbacks
):
    supplier = SupplierFactory(email="ventas@sur.example.com")
    order = draft_order(owner, supplier, store, product)
    client = web_client(client_for, alpha, owner)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("workspace:purchase_order_send", args=[order.pk]), {"notify_supplier": "on"}
        )

    assert response.status_code == 302
    order.refresh_from_db()
    assert (order.status, order.emailed_to) == (PurchaseOrder.Status.SENT, "ventas@sur.example.com")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ventas@sur.example.com"]
    assert str(order.number) in mail.outbox[0].subject


def test_sending_to_a_supplier_without_email_is_refused_with_a_message(
    client_for, alpha, owner, product, store
):
    supplier = SupplierFactory(email="", name="Sin Correo SRL")
    order = draft_order(owner, supplier, store, product)
    client = web_client(client_for, alpha, owner)

    response = client.post(
        reverse("workspace:purchase_order_send", args=[order.pk]), {"notify_supplier": "on"}, follow=True
    )

    assert "Sin Correo SRL has no email address" in response.content.decode()
    order.refresh_from_db()
    assert order.status == PurchaseOrder.Status.DRAFT
    assert mail.outbox == []


def test_receiving_part_then_the_rest_of_an_order(client_for, alpha, owner, product, store):
    order = draft_order(owner, SupplierFactory(), store, product)
    purchase_order_send(order=order, user=owner, notify_supplier=False)
    line = order.lines.get()
    client = web_client(client_for, alpha, owner)

    client.post(reverse("workspace:purchase_order_receive", args=[order.pk]), {f"line_{line.pk}": "4"})

    order.refresh_from_db()
    assert order.status == PurchaseOrder.Status.PARTIALLY_RECEIVED
    assert on_hand(product, store) == Decimal("4")

    client.post(reverse("workspace:purchase_order_receive", args=[order.pk]), {"all": "1"})

    order.refresh_from_db()
    assert order.status == PurchaseOrder.Status.RECEIVED
    assert on_hand(product, store) == Decimal("10")

    client.post(reverse("workspace:purchase_order_close", args=[order.pk]))
    order.refresh_from_db()
    assert order.status == PurchaseOrder.Status.CLOSED


def test_receiving_more_than_ordered_is_refused_and_nothing_enters(client_for, alpha, owner, product, store):
    order = draft_order(owner, SupplierFactory(), store, product)
    purchase_order_send(order=order, user=owner, notify_supplier=False)
    line = order.lines.get()
    client = web_client(client_for, alpha, owner)

    response = client.post(
        reverse("workspace:purchase_order_receive", args=[order.pk]), {f"line_{line.pk}": "11"}, follow=True
    )

    assert "Only 10 of Yerba mate 500 g are still to come on this order." in response.content.decode()
    order.refresh_from_db()
    assert order.status == PurchaseOrder.Status.SENT
    assert on_hand(product, store) == Decimal("0")


def test_cancelling_a_draft_order(client_for, alpha, owner, product, store):
    order = draft_order(owner, SupplierFactory(), store, product)
    client = web_client(client_for, alpha, owner)

    client.post(reverse("workspace:purchase_order_cancel", args=[order.pk]))

    order.refresh_from_db()
    assert order.status == PurchaseOrder.Status.CANCELLED


def test_printable_order_shows_the_business_and_the_lines(
    client_for, workspaces, alpha, owner, product, store
):
    order = draft_order(owner, SupplierFactory(name="Yerbatera del Sur"), store, product)
    client = web_client(client_for, alpha, owner)

    text = client.get(reverse("workspace:purchase_order_print", args=[order.pk])).content.decode()

    assert workspaces.alpha.name in text
    assert "Yerbatera del Sur" in text and product.sku in text
    assert "data-print" in text and "js/behaviours.js" in text  # prints on click, no inline script


def test_purchase_order_list_filters_by_status(client_for, alpha, owner, product, store):
    supplier = SupplierFactory()
    draft = draft_order(owner, supplier, store, product)
    sent = draft_order(owner, supplier, store, product)
    purchase_order_send(order=sent, user=owner, notify_supplier=False)
    client = web_client(client_for, alpha, owner)

    response = client.get(reverse("workspace:purchase_order_list"), {"status": "sent"})

    text = response.content.decode()
    assert f'data-id="{sent.pk}"' in text and f'data-id="{draft.pk}"' not in text


# --- Quotes --------------------------------------------------------------------------------------


def test_staff_prepares_a_quote(client_for, alpha, staff, product, store):
    client = web_client(client_for, alpha, staff)

    response = client.post(
        reverse("workspace:quote_create"),
        lines_data(
            {"location": store.pk, "customer_name": "Club Atlético"}, {"product": product.pk, "quantity": "3"}
        ),
    )

    quote = Quote.objects.get()
    assert response["Location"] == reverse("workspace:quote_detail", args=[quote.pk])
    assert (quote.customer_name, quote.total, quote.created_by) == (
        "Club Atlético",
        Decimal("9600.00"),
        staff,
    )
    # Staff may prepare quotes but not convert them: no convert button for them.
    page = client.get(reverse("workspace:quote_detail", args=[quote.pk])).content.decode()
    assert reverse("workspace:quote_convert", args=[quote.pk]) not in page


def test_quote_convert_makes_a_sale_and_takes_the_stock(client_for, alpha, admin, stocked, store):
    quote = quote_create(location=store, user=admin, lines=[SaleLineInput(stocked, Decimal(2))])
    client = web_client(client_for, alpha, admin)

    response = client.post(reverse("workspace:quote_convert", args=[quote.pk]), {"payment_method": "card"})

    assert response.status_code == 302
    quote.refresh_from_db()
    assert quote.status == Quote.Status.CONVERTED
    assert quote.sale.payment_method == "card"
    assert on_hand(stocked, store) == Decimal("8")


def test_converting_an_expired_quote_is_refused(client_for, alpha, owner, stocked, store):
    quote = quote_create(location=store, user=owner, lines=[SaleLineInput(stocked, Decimal(2))])
    Quote.objects.filter(pk=quote.pk).update(valid_until=timezone.localdate() - timedelta(days=3))
    client = web_client(client_for, alpha, owner)

    response = client.post(
        reverse("workspace:quote_convert", args=[quote.pk]), {"payment_method": "cash"}, follow=True
    )

    assert "This quote expired on" in response.content.decode()
    quote.refresh_from_db()
    assert quote.status == Quote.Status.OPEN
    assert not Sale.objects.exists()
    assert on_hand(stocked, store) == Decimal("10")


def test_converting_without_enough_stock_is_refused_and_the_quote_stays_open(
    client_for, alpha, owner, stocked, store
):
    quote = quote_create(location=store, user=owner, lines=[SaleLineInput(stocked, Decimal(12))])
    client = web_client(client_for, alpha, owner)

    response = client.post(
        reverse("workspace:quote_convert", args=[quote.pk]), {"payment_method": "cash"}, follow=True
    )

    assert "Not enough stock of Yerba mate 500 g" in response.content.decode()
    quote.refresh_from_db()
    assert quote.status == Quote.Status.OPEN
    assert not Sale.objects.exists()


def test_quote_cancel(client_for, alpha, staff, product, store):
    quote = quote_create(location=store, user=staff, lines=[SaleLineInput(product, Decimal(1))])
    client = web_client(client_for, alpha, staff)

    client.post(reverse("workspace:quote_cancel", args=[quote.pk]))

    quote.refresh_from_db()
    assert quote.status == Quote.Status.CANCELLED


# --- Expenses ------------------------------------------------------------------------------------


def test_expense_create(client_for, alpha, owner, store):
    rent = ExpenseCategoryFactory(name="Alquiler")
    client = web_client(client_for, alpha, owner)

    response = client.post(
        reverse("workspace:expense_create"),
        {
            "date": "2026-11-01",
            "amount": "350000",
            "category": rent.pk,
            "location": store.pk,
            "note": "Noviembre",
        },
    )

    assert response.status_code == 302
    expense = Expense.objects.get()
    assert (expense.amount, expense.category, expense.location, expense.created_by) == (
        Decimal("350000.00"),
        rent,
        store,
        owner,
    )


def test_expense_of_zero_is_refused(client_for, alpha, owner):
    rent = ExpenseCategoryFactory(name="Alquiler")
    client = web_client(client_for, alpha, owner)

    response = client.post(
        reverse("workspace:expense_create"), {"date": "2026-11-01", "amount": "0", "category": rent.pk}
    )

    assert response.status_code == 400
    assert "An expense must be more than zero." in response.content.decode()
    assert not Expense.objects.exists()


def test_expense_category_create(client_for, alpha, admin):
    client = web_client(client_for, alpha, admin)

    response = client.post(reverse("workspace:expense_category_create"), {"name": "Servicios"})

    assert response.status_code == 302
    assert ExpenseCategory.objects.filter(name="Servicios").exists()


def test_expense_list_filters_by_category_and_dates(client_for, alpha, owner):
    rent, wages = ExpenseCategoryFactory(name="Alquiler"), ExpenseCategoryFactory(name="Sueldos")
    client = web_client(client_for, alpha, owner)
    for day, category in (("2026-10-01", rent), ("2026-11-01", rent), ("2026-11-02", wages)):
        client.post(
            reverse("workspace:expense_create"), {"date": day, "amount": "100", "category": category.pk}
        )
    url = reverse("workspace:expense_list")

    of_rent = client.get(url, {"category": rent.pk}).content.decode()
    in_november = client.get(url, {"date_from": "2026-11-01", "date_to": "2026-11-30"}).content.decode()

    assert of_rent.count('data-testid="list-row"') == 2
    assert in_november.count('data-testid="list-row"') == 2
