"""The stock screens: levels, the movements ledger, adjustments, transfers and stock counts."""

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from inventory.models import StockCount, StockMovement, Transfer
from inventory.services import TransferLineInput, stock_count_create, stock_receive, transfer_send
from tests.inventory.conftest import on_hand
from tests.inventory.factories import ProductFactory
from tests.inventory.test_web_catalogue import web_client


def row_count(response) -> int:
    return response.content.decode().count('data-testid="list-row"')


# --- Levels and ledger -------------------------------------------------------------------------------


def test_stock_levels_filter_below_minimum_location_and_search(
    client_for, alpha, owner, stocked, store, warehouse
):
    low = ProductFactory(name="Azúcar", sku="AZU-1", min_stock=Decimal("20"))
    stock_receive(product=low, location=warehouse, quantity=5, user=owner)
    client = web_client(client_for, alpha, owner)
    url = reverse("workspace:stock_level_list")

    below = client.get(url, {"below_minimum": "on"}).content.decode()
    at_store = client.get(url, {"location": store.pk}).content.decode()
    searched = client.get(url, {"q": "yerba"}).content.decode()

    assert "Azúcar" in below and "Yerba mate" not in below
    assert "Yerba mate" in at_store and "Azúcar" not in at_store
    assert "Yerba mate" in searched and "Azúcar" not in searched


def test_movements_filter_by_kind_product_and_date(client_for, alpha, owner, stocked, store):
    other = ProductFactory(name="Azúcar")
    stock_receive(product=other, location=store, quantity=3, user=owner)
    client = web_client(client_for, alpha, owner)
    client.post(
        reverse("workspace:stock_adjust"),
        {"product": stocked.pk, "location": store.pk, "quantity": "-1", "reason": "Rotura"},
    )
    url = reverse("workspace:stock_movement_list")
    today = timezone.localdate()

    adjustments = client.get(url, {"kind": StockMovement.Kind.ADJUSTMENT})
    of_sugar = client.get(url, {"product": other.pk})
    tomorrow = client.get(url, {"date_from": (today + timedelta(days=2)).isoformat()})

    assert row_count(adjustments) == 1 and "Rotura" in adjustments.content.decode()
    assert row_count(of_sugar) == 1
    assert row_count(tomorrow) == 0


# --- Adjustments -------------------------------------------------------------------------------


def test_adjustment_with_a_reason_moves_stock(client_for, alpha, admin, stocked, store):
    client = web_client(client_for, alpha, admin)

    response = client.post(
        reverse("workspace:stock_adjust"),
        {"product": stocked.pk, "location": store.pk, "quantity": "-2", "reason": "Se rompieron dos"},
    )

    assert response.status_code == 302
    assert on_hand(stocked, store) == Decimal("8")
    movement = StockMovement.objects.get(kind=StockMovement.Kind.ADJUSTMENT)
    assert (movement.quantity, movement.reason, movement.user) == (Decimal("-2"), "Se rompieron dos", admin)


def test_adjustment_without_a_reason_is_refused_and_changes_nothing(client_for, alpha, owner, stocked, store):
    client = web_client(client_for, alpha, owner)

    response = client.post(
        reverse("workspace:stock_adjust"),
        {"product": stocked.pk, "location": store.pk, "quantity": "-2", "reason": "   "},
    )

    assert response.status_code == 400
    assert 'data-field="reason"' in response.content.decode()
    assert on_hand(stocked, store) == Decimal("10")
    assert not StockMovement.objects.filter(kind=StockMovement.Kind.ADJUSTMENT).exists()


def test_adjustment_below_zero_shows_the_shortage_in_spanish(client_for, alpha, owner, stocked, store):
    client = web_client(client_for, alpha, owner, language="es")

    response = client.post(
        reverse("workspace:stock_adjust"),
        {"product": stocked.pk, "location": store.pk, "quantity": "-50", "reason": "Robo"},
    )

    assert response.status_code == 400
    assert "No hay stock suficiente de Yerba mate 500 g en Local Centro" in response.content.decode()
    assert on_hand(stocked, store) == Decimal("10")


# --- Transfers ---------------------------------------------------------------------------------


def transfer_data(origin, destination, *lines, note=""):
    data = {
        "origin": origin.pk,
        "destination": destination.pk,
        "note": note,
        "lines-TOTAL_FORMS": "5",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "1000",
    }
    for index, (product, quantity) in enumerate(lines):
        data[f"lines-{index}-product"] = product.pk
        data[f"lines-{index}-quantity"] = quantity
    return data


def test_transfer_send_then_receive(client_for, alpha, owner, stocked, store, warehouse):
    client = web_client(client_for, alpha, owner)

    sent = client.post(reverse("workspace:transfer_create"), transfer_data(store, warehouse, (stocked, "4")))

    assert sent.status_code == 302
    transfer = Transfer.objects.get()
    assert transfer.status == Transfer.Status.SENT
    assert (on_hand(stocked, store), on_hand(stocked, warehouse)) == (Decimal("6"), Decimal("0"))
    assert (
        "In transit" in client.get(reverse("workspace:transfer_detail", args=[transfer.pk])).content.decode()
    )

    received = client.post(reverse("workspace:transfer_receive", args=[transfer.pk]))

    assert received.status_code == 302
    transfer.refresh_from_db()
    assert transfer.status == Transfer.Status.RECEIVED
    assert on_hand(stocked, warehouse) == Decimal("4")


def test_transfer_of_more_than_on_hand_is_refused_and_nothing_moves(
    client_for, alpha, owner, stocked, store, warehouse
):
    client = web_client(client_for, alpha, owner)

    response = client.post(
        reverse("workspace:transfer_create"), transfer_data(store, warehouse, (stocked, "40"))
    )

    assert response.status_code == 400
    assert "Not enough stock of Yerba mate 500 g" in response.content.decode()
    assert not Transfer.objects.exists()
    assert on_hand(stocked, store) == Decimal("10")


def test_transfer_to_the_same_place_is_refused(client_for, alpha, owner, stocked, store):
    client = web_client(client_for, alpha, owner)

    response = client.post(reverse("workspace:transfer_create"), transfer_data(store, store, (stocked, "1")))

    assert response.status_code == 400
    assert "Choose two different locations." in response.content.decode()
    assert not Transfer.objects.exists()


def test_receiving_a_transfer_twice_shows_a_message(client_for, alpha, owner, stocked, store, warehouse):
    transfer = transfer_send(
        origin=store, destination=warehouse, lines=[TransferLineInput(stocked, Decimal(1))], user=owner
    )
    client = web_client(client_for, alpha, owner)
    client.post(reverse("workspace:transfer_receive", args=[transfer.pk]))

    response = client.post(reverse("workspace:transfer_receive", args=[transfer.pk]), follow=True)

    assert "This transfer was already received." in response.content.decode()
    assert on_hand(stocked, warehouse) == Decimal("1")


# --- Stock counts ----------------------------------------------------------------------------------


def test_count_sheet_is_created_filled_in_and_posted(client_for, alpha, owner, stocked, store):
    client = web_client(client_for, alpha, owner)

    created = client.post(
        reverse("workspace:stock_count_create"), {"location": store.pk, "note": "Cierre de mes"}
    )

    count = StockCount.objects.get()
    assert created["Location"] == reverse("workspace:stock_count_detail", args=[count.pk])
    line = count.lines.get(product=stocked)
    saved = client.post(reverse("workspace:stock_count_detail", args=[count.pk]), {f"line_{line.pk}": "7"})
    assert saved.status_code == 302
    line.refresh_from_db()
    assert line.counted_quantity == Decimal("7")

    posted = client.post(reverse("workspace:stock_count_post", args=[count.pk]))

    assert posted.status_code == 302
    count.refresh_from_db()
    assert count.status == StockCount.Status.POSTED
    assert on_hand(stocked, store) == Decimal("7")
    correction = StockMovement.objects.get(kind=StockMovement.Kind.COUNT_CORRECTION)
    assert (correction.quantity, correction.stock_count) == (Decimal("-3"), count)
    page = client.get(reverse("workspace:stock_count_detail", args=[count.pk])).content.decode()
    assert "Posted" in page


def test_posting_a_count_with_nothing_counted_is_refused(client_for, alpha, owner, stocked, store):
    count = stock_count_create(location=store, user=owner)
    client = web_client(client_for, alpha, owner)

    response = client.post(reverse("workspace:stock_count_post", args=[count.pk]), follow=True)

    assert "Count at least one product before posting." in response.content.decode()
    count.refresh_from_db()
    assert count.status == StockCount.Status.DRAFT
    assert on_hand(stocked, store) == Decimal("10")


def test_a_second_open_count_of_a_location_is_refused(client_for, alpha, owner, stocked, store):
    stock_count_create(location=store, user=owner)
    client = web_client(client_for, alpha, owner)

    response = client.post(reverse("workspace:stock_count_create"), {"location": store.pk})

    assert response.status_code == 400
    assert "is already open" in response.content.decode()
    assert StockCount.objects.count() == 1


def test_count_is_cancelled_without_moving_stock(client_for, alpha, owner, stocked, store):
    count = stock_count_create(location=store, user=owner)
    client = web_client(client_for, alpha, owner)

    client.post(reverse("workspace:stock_count_cancel", args=[count.pk]))

    count.refresh_from_db()
    assert count.status == StockCount.Status.CANCELLED
    assert on_hand(stocked, store) == Decimal("10")
    assert not StockMovement.objects.filter(kind=StockMovement.Kind.COUNT_CORRECTION).exists()
