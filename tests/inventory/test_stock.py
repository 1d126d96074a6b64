"""The stock ledger: receipts at moving average, adjustments, transfers, counts, negative stock,
and the database guarantees behind them."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.utils import translation

from audit.models import AuditEvent
from inventory.exceptions import (
    InsufficientStock,
    InvalidInput,
    InvalidQuantity,
    InvalidStatus,
    NegativeStockExists,
    ReasonRequired,
    StockNotTracked,
)
from inventory.models import InventorySettings, StockCount, StockLevel, StockMovement, Transfer
from inventory.selectors import stock_level_list, stock_movement_list
from inventory.services import (
    TransferLineInput,
    inventory_settings_update,
    stock_adjust,
    stock_count_create,
    stock_count_line_set,
    stock_count_post,
    stock_receive,
    transfer_receive,
    transfer_send,
)
from tests.inventory.conftest import ledger_total, on_hand
from tests.inventory.factories import ProductFactory


def test_receipts_value_stock_at_moving_average(product, store, owner):
    stock_receive(product=product, location=store, quantity=10, unit_cost=Decimal("100"), user=owner)
    stock_receive(product=product, location=store, quantity=30, unit_cost=Decimal("120"), user=owner)

    level = StockLevel.objects.get(product=product, location=store)
    assert level.on_hand == Decimal("40")
    assert level.average_cost == Decimal("115.0000")  # (10×100 + 30×120) / 40
    product.refresh_from_db()
    assert product.cost == Decimal("115.00")


def test_moving_average_keeps_four_decimals(product, store, owner):
    stock_receive(product=product, location=store, quantity=3, unit_cost=Decimal("10"), user=owner)
    stock_receive(product=product, location=store, quantity=2, unit_cost=Decimal("10.01"), user=owner)

    assert StockLevel.objects.get(product=product, location=store).average_cost == Decimal("10.0040")


def test_sales_do_not_change_the_average_and_record_the_cost_they_left_at(stocked, store, owner):
    stock_adjust(product=stocked, location=store, quantity=-4, reason="Rotura", user=owner)

    movement = StockMovement.objects.get(kind=StockMovement.Kind.ADJUSTMENT)
    assert movement.unit_cost == Decimal("2000.0000")
    assert StockLevel.objects.get(product=stocked, location=store).average_cost == Decimal("2000.0000")


def test_receipt_without_cost_takes_the_product_cost(product, store, owner):
    movement = stock_receive(product=product, location=store, quantity=5, user=owner)

    assert movement.unit_cost == Decimal("2000.0000")
    assert movement.user == owner
    assert on_hand(product, store) == 5


def test_adjustment_needs_a_reason_and_is_audited(stocked, store, owner):
    with pytest.raises(ReasonRequired):
        stock_adjust(product=stocked, location=store, quantity=-1, reason="  ", user=owner)

    stock_adjust(product=stocked, location=store, quantity=-2, reason="Vencido", user=owner)

    assert on_hand(stocked, store) == 8
    event = AuditEvent.objects.get(action=AuditEvent.Action.STOCK_ADJUSTED)
    assert event.actor == owner
    assert event.data["reason"] == "Vencido"


def test_taking_more_than_there_is_is_refused_with_the_product_named(stocked, store, owner):
    before = StockMovement.objects.count()

    with translation.override("en"), pytest.raises(InsufficientStock) as refused:
        stock_adjust(product=stocked, location=store, quantity=-11, reason="Robo", user=owner)

    assert str(refused.value) == (
        "Not enough stock of Yerba mate 500 g at Local Centro: 10 available, 11 requested."
    )
    assert refused.value.shortages[0].available == 10
    assert on_hand(stocked, store) == 10
    assert StockMovement.objects.count() == before


def test_staff_cannot_move_stock(stocked, store, staff):
    with pytest.raises(PermissionDenied):
        stock_adjust(product=stocked, location=store, quantity=-1, reason="x", user=staff)
    with pytest.raises(PermissionDenied):
        stock_receive(product=stocked, location=store, quantity=1, user=staff)

    assert on_hand(stocked, store) == 10


def test_products_that_hold_no_stock_cannot_be_received(alpha, store, owner):
    service = ProductFactory(name="Pack 8 clases", tracks_stock=False)

    with pytest.raises(StockNotTracked):
        stock_receive(product=service, location=store, quantity=1, user=owner)


def test_units_are_whole_but_kilograms_take_three_decimals(alpha, store, owner):
    units = ProductFactory(unit="unit")
    cheese = ProductFactory(unit="kg")

    with pytest.raises(InvalidQuantity):
        stock_receive(product=units, location=store, quantity="1.5", user=owner)
    with pytest.raises(InvalidQuantity):
        stock_receive(product=cheese, location=store, quantity="1.2345", user=owner)
    stock_receive(product=cheese, location=store, quantity="1.250", user=owner)

    assert on_hand(cheese, store) == Decimal("1.250")


def test_database_refuses_negative_on_hand_when_not_allowed(stocked, store):
    level = StockLevel.objects.get(product=stocked, location=store)

    with pytest.raises(IntegrityError), transaction.atomic():
        StockLevel.objects.filter(pk=level.pk).update(on_hand=-1)


def test_movements_cannot_be_changed_or_deleted(stocked, store):
    movement = StockMovement.objects.get(product=stocked)

    with pytest.raises(IntegrityError), transaction.atomic():
        StockMovement.objects.filter(pk=movement.pk).update(quantity=99)
    with pytest.raises(IntegrityError), transaction.atomic():
        StockMovement.objects.filter(pk=movement.pk).delete()
    # Deleting on purpose needs the explicit switch.
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL inventory.allow_ledger_delete = 'on'")
        StockMovement.objects.filter(pk=movement.pk).delete()
        transaction.set_rollback(True)
    assert StockMovement.objects.filter(pk=movement.pk).exists()


def test_deleting_a_user_forgets_who_but_keeps_the_movement(stocked, store, admin):
    stock_adjust(product=stocked, location=store, quantity=1, reason="Hallazgo", user=admin)

    admin.delete()

    movement = StockMovement.objects.get(kind=StockMovement.Kind.ADJUSTMENT)
    assert movement.user is None
    assert movement.quantity == 1


def test_negative_stock_when_the_workspace_allows_it(stocked, store, owner, admin):
    with pytest.raises(PermissionDenied):
        inventory_settings_update(user=admin, allow_negative_stock=True)

    inventory_settings_update(user=owner, allow_negative_stock=True)
    stock_adjust(product=stocked, location=store, quantity=-15, reason="Venta sin registrar", user=owner)

    level = StockLevel.objects.get(product=stocked, location=store)
    assert level.on_hand == -5
    assert level.allow_negative is True
    changes = AuditEvent.objects.filter(
        action=AuditEvent.Action.SETTINGS_CHANGED, data__has_key="allow_negative_stock"
    )
    assert [event.data for event in changes] == [{"allow_negative_stock": True}]

    with pytest.raises(NegativeStockExists):
        inventory_settings_update(user=owner, allow_negative_stock=False)
    assert InventorySettings.objects.get().allow_negative_stock is True

    stock_receive(product=stocked, location=store, quantity=5, user=owner)
    inventory_settings_update(user=owner, allow_negative_stock=False)

    level.refresh_from_db()
    assert level.allow_negative is False
    with pytest.raises(InsufficientStock):
        stock_adjust(product=stocked, location=store, quantity=-1, reason="x", user=owner)


def test_receipt_into_negative_stock_restarts_the_average(stocked, store, owner):
    inventory_settings_update(user=owner, allow_negative_stock=True)
    stock_adjust(product=stocked, location=store, quantity=-12, reason="x", user=owner)

    stock_receive(product=stocked, location=store, quantity=10, unit_cost=Decimal("2500"), user=owner)

    level = StockLevel.objects.get(product=stocked, location=store)
    assert level.on_hand == 8
    assert level.average_cost == Decimal("2500.0000")


# --- Transfers ----------------------------------------------------------------------------------


def test_transfer_leaves_when_sent_and_arrives_when_received(stocked, store, warehouse, owner):
    transfer = transfer_send(
        origin=store,
        destination=warehouse,
        lines=[TransferLineInput(stocked, 4)],
        user=owner,
        note="Reposición",
    )

    assert transfer.status == Transfer.Status.SENT
    assert on_hand(stocked, store) == 6
    assert on_hand(stocked, warehouse) == 0

    transfer_receive(transfer=transfer, user=owner)

    transfer.refresh_from_db()
    assert transfer.status == Transfer.Status.RECEIVED
    assert on_hand(stocked, warehouse) == 4
    level = StockLevel.objects.get(product=stocked, location=warehouse)
    assert level.average_cost == Decimal("2000.0000")
    kinds = sorted(StockMovement.objects.filter(transfer=transfer).values_list("kind", "quantity"))
    assert kinds == [("transfer_in", Decimal("4.000")), ("transfer_out", Decimal("-4.000"))]
    with pytest.raises(InvalidStatus):
        transfer_receive(transfer=transfer, user=owner)


def test_transfer_of_more_than_there_is_leaves_nothing(stocked, store, warehouse, owner):
    with pytest.raises(InsufficientStock):
        transfer_send(origin=store, destination=warehouse, lines=[TransferLineInput(stocked, 11)], user=owner)

    assert not Transfer.objects.exists()
    assert on_hand(stocked, store) == 10


def test_transfer_needs_two_places(stocked, store, owner):
    with pytest.raises(InvalidInput):
        transfer_send(origin=store, destination=store, lines=[TransferLineInput(stocked, 1)], user=owner)


# --- Counts ---------------------------------------------------------------------------------------


def test_posting_a_count_corrects_the_differences_and_is_audited(stocked, store, owner):
    other = ProductFactory(name="Azúcar 1 kg")
    stock_receive(product=other, location=store, quantity=5, user=owner)
    uncounted = ProductFactory(name="Café")
    stock_receive(product=uncounted, location=store, quantity=3, user=owner)
    count = stock_count_create(location=store, user=owner, note="Inventario mensual")
    assert count.lines.count() == 3

    stock_count_line_set(stock_count=count, product=stocked, counted_quantity=7, user=owner)
    stock_count_line_set(stock_count=count, product=other, counted_quantity=5, user=owner)
    stock_count_post(stock_count=count, user=owner)

    assert on_hand(stocked, store) == 7
    assert on_hand(other, store) == 5
    assert on_hand(uncounted, store) == 3
    corrections = StockMovement.objects.filter(kind=StockMovement.Kind.COUNT_CORRECTION)
    assert [(m.product_id, m.quantity) for m in corrections] == [(stocked.pk, Decimal("-3.000"))]
    line = count.lines.get(product=stocked)
    assert (line.expected_quantity, line.difference) == (Decimal("10.000"), Decimal("-3.000"))
    count.refresh_from_db()
    assert count.status == StockCount.Status.POSTED
    event = AuditEvent.objects.get(action=AuditEvent.Action.STOCK_COUNTED)
    assert event.data["corrections"] == [{"sku": "YER-500", "expected": "10.000", "counted": "7.000"}]
    with pytest.raises(InvalidStatus):
        stock_count_post(stock_count=count, user=owner)


def test_count_corrects_against_the_ledger_when_posted(stocked, store, owner):
    count = stock_count_create(location=store, user=owner, products=[stocked])
    stock_count_line_set(stock_count=count, product=stocked, counted_quantity=10, user=owner)
    # A sale between counting and posting: the sheet says 10 were there when counted...
    stock_adjust(product=stocked, location=store, quantity=-2, reason="Venta", user=owner)

    stock_count_post(stock_count=count, user=owner)

    # ...and posting trusts the count: the ledger now shows what was counted.
    assert on_hand(stocked, store) == 10


def test_one_open_count_per_location(stocked, store, owner):
    stock_count_create(location=store, user=owner)

    with pytest.raises(InvalidStatus):
        stock_count_create(location=store, user=owner)


# --- Selectors ------------------------------------------------------------------------------------


def test_stock_levels_come_with_product_and_location_in_one_query(
    stocked, store, warehouse, owner, query_log
):
    for _ in range(3):
        stock_receive(product=ProductFactory(min_stock=50), location=warehouse, quantity=2, user=owner)

    with query_log() as log:
        rows = [(level.product.name, level.location.name, level.on_hand) for level in stock_level_list()]
    assert len(log) == 1
    assert len(rows) == 4
    assert stock_level_list(below_minimum=True).count() == 3
    assert stock_level_list(location=store).count() == 1


def test_movement_list_reads_ledger_with_documents(stocked, store, owner, query_log):
    stock_adjust(product=stocked, location=store, quantity=-1, reason="x", user=owner)

    with query_log() as log:
        kinds = [
            (m.kind, m.user.email, m.product.sku, m.document) for m in stock_movement_list(product=stocked)
        ]
    assert len(log) == 1
    assert kinds == [
        ("adjustment", "owner@alpha.test", "YER-500", None),
        ("receipt", "owner@alpha.test", "YER-500", None),
    ]
    assert ledger_total(stocked, store) == on_hand(stocked, store) == 9
