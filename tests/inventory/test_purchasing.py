"""Purchasing: orders sent by email, received partly or fully into stock at moving average."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from inventory.exceptions import InvalidStatus, OverReceipt, SupplierEmailMissing
from inventory.models import PurchaseOrder, StockLevel, StockMovement
from inventory.selectors import quantity_on_order
from inventory.services import (
    PurchaseLineInput,
    ReceiveLineInput,
    purchase_order_cancel,
    purchase_order_close,
    purchase_order_create,
    purchase_order_receive,
    purchase_order_send,
    purchase_order_update,
)
from tenants.models import Tenant
from tests.inventory.conftest import on_hand
from tests.inventory.factories import ProductFactory, SupplierFactory


@pytest.fixture
def supplier(alpha):
    return SupplierFactory(
        name="Distribuidora del Sur", contact_name="Carla", email="pedidos@sur.example.com"
    )


@pytest.fixture
def order(supplier, store, owner, stocked):
    sugar = ProductFactory(name="Azúcar 1 kg", sku="AZU-1K", cost=Decimal("900"))
    return purchase_order_create(
        supplier=supplier,
        location=store,
        user=owner,
        lines=[PurchaseLineInput(stocked, 10, unit_cost=Decimal("2600")), PurchaseLineInput(sugar, 24)],
        note="Entregar por la mañana",
    )


def test_draft_order_totals_its_lines_and_takes_a_number(order):
    assert order.status == PurchaseOrder.Status.DRAFT
    assert order.number == 1
    assert order.total == Decimal("47600.00")  # 10 × 2600 + 24 × 900


def test_sending_emails_the_supplier_after_commit(order, owner, django_capture_on_commit_callbacks):
    Tenant.objects.filter(schema_name="alpha").update(language="en")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        purchase_order_send(order=order, user=owner)
    assert mail.outbox == []  # nothing leaves before the transaction commits
    for callback in callbacks:
        callback()

    order.refresh_from_db()
    assert order.status == PurchaseOrder.Status.SENT
    assert order.emailed_to == "pedidos@sur.example.com"
    (email,) = mail.outbox
    assert email.to == ["pedidos@sur.example.com"]
    assert email.reply_to == ["owner@alpha.test"]
    assert email.subject == "Purchase order 1 from Alpha SRL"
    assert "Hello Carla," in email.body
    assert "YER-500" in email.body and "Azúcar 1 kg" in email.body
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html"
    assert "Entregar por la mañana" in html
    assert "Local Centro" in html


def test_sending_without_email_needs_the_supplier_address_or_no_email(order, supplier, owner):
    supplier.email = ""
    supplier.save()

    with pytest.raises(SupplierEmailMissing):
        purchase_order_send(order=order, user=owner)
    purchase_order_send(order=order, user=owner, notify_supplier=False)

    assert mail.outbox == []
    order.refresh_from_db()
    assert order.status == PurchaseOrder.Status.SENT


def test_receiving_part_then_the_rest(order, store, owner, stocked):
    purchase_order_send(order=order, user=owner, notify_supplier=False)
    yerba_line, sugar_line = order.lines.order_by("pk")

    purchase_order_receive(order=order, user=owner, lines=[ReceiveLineInput(yerba_line, 4)])

    order.refresh_from_db()
    assert order.status == PurchaseOrder.Status.PARTIALLY_RECEIVED
    assert on_hand(stocked, store) == 14
    # 10 at 2000 + 4 at 2600 -> 2171.4286
    assert StockLevel.objects.get(product=stocked, location=store).average_cost == Decimal("2171.4286")
    assert quantity_on_order() == {
        (stocked.pk, store.pk): Decimal("6.000"),
        (sugar_line.product_id, store.pk): Decimal("24.000"),
    }

    purchase_order_receive(order=order, user=owner)

    order.refresh_from_db()
    assert order.status == PurchaseOrder.Status.RECEIVED
    assert order.received_at is not None
    assert on_hand(stocked, store) == 20
    assert on_hand(sugar_line.product, store) == 24
    assert quantity_on_order() == {}
    receipts = StockMovement.objects.filter(purchase_order=order, kind="receipt")
    assert sorted(m.quantity for m in receipts) == [Decimal("4"), Decimal("6"), Decimal("24")]
    sugar_line.product.refresh_from_db()
    assert sugar_line.product.cost == Decimal("900.00")

    purchase_order_close(order=order, user=owner)
    order.refresh_from_db()
    assert order.status == PurchaseOrder.Status.CLOSED


def test_receiving_at_the_invoice_cost(order, store, owner, stocked):
    purchase_order_send(order=order, user=owner, notify_supplier=False)
    yerba_line = order.lines.get(product=stocked)

    purchase_order_receive(
        order=order, user=owner, lines=[ReceiveLineInput(yerba_line, 10, unit_cost=Decimal("3000"))]
    )

    assert StockLevel.objects.get(product=stocked, location=store).average_cost == Decimal("2500.0000")
    stocked.refresh_from_db()
    assert stocked.cost == Decimal("2500.00")


def test_receiving_more_than_ordered_is_refused_and_changes_nothing(order, store, owner, stocked):
    purchase_order_send(order=order, user=owner, notify_supplier=False)
    yerba_line = order.lines.get(product=stocked)

    with pytest.raises(OverReceipt):
        purchase_order_receive(order=order, user=owner, lines=[ReceiveLineInput(yerba_line, 11)])

    assert on_hand(stocked, store) == 10
    yerba_line.refresh_from_db()
    assert yerba_line.quantity_received == 0


def test_drafts_are_not_on_order_and_cannot_be_received(order, owner, stocked):
    assert quantity_on_order() == {}
    with pytest.raises(InvalidStatus):
        purchase_order_receive(order=order, user=owner)


def test_closing_a_partly_received_order_takes_the_rest_off_order(order, owner, stocked, store):
    purchase_order_send(order=order, user=owner, notify_supplier=False)
    purchase_order_receive(
        order=order, user=owner, lines=[ReceiveLineInput(order.lines.get(product=stocked), 4)]
    )

    purchase_order_close(order=order, user=owner)

    assert quantity_on_order(product_ids=[stocked.pk]) == {}


def test_cancel_before_anything_arrives(order, owner, stocked):
    purchase_order_update(
        order=order, user=owner, lines=[PurchaseLineInput(stocked, 5, unit_cost=Decimal("10"))]
    )
    order.refresh_from_db()
    assert order.total == Decimal("50.00")
    purchase_order_send(order=order, user=owner, notify_supplier=False)

    purchase_order_cancel(order=order, user=owner)

    order.refresh_from_db()
    assert order.status == PurchaseOrder.Status.CANCELLED
    with pytest.raises(InvalidStatus):
        purchase_order_update(order=order, user=owner, note="x")


def test_staff_cannot_order(supplier, store, staff, stocked):
    with pytest.raises(PermissionDenied):
        purchase_order_create(
            supplier=supplier, location=store, user=staff, lines=[PurchaseLineInput(stocked, 1)]
        )


def test_the_supplier_email_reads_quantities_in_packs(
    supplier, store, owner, django_capture_on_commit_callbacks
):
    flour = ProductFactory(name="Harina 1 kg", sku="HAR-1", cost=Decimal("2100"), pack_size=Decimal("6"))
    sent = purchase_order_create(
        supplier=supplier, location=store, user=owner, lines=[PurchaseLineInput(flour, 42)]
    )
    with django_capture_on_commit_callbacks(execute=True):
        purchase_order_send(order=sent, user=owner)

    (email,) = mail.outbox
    assert "42 Unidad (7 paquetes de 6)" in email.body or "42 unit (7 packs of 6)" in email.body.lower()
