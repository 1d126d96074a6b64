"""The order board: moves, the hold on stock, delivery as one Sale, cancelling with a reason, the
live poll, numbers per day and location, the status signal and the payment seam."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from inventory.models import Location, PaymentMethod, Sale, StockLevel
from inventory.selectors import stock_reserved_map  # what the suggestions subtract as committed
from orders.exceptions import InvalidOrder, InvalidTransition
from orders.models import Order
from orders.selectors import order_figures
from orders.services import (
    OrderLineInput,
    order_mark_paid,
    order_payment_reversed,
    order_place,
    order_status_set,
)
from orders.signals import order_status_changed
from tests.customers.fixtures import web_client
from tests.orders.conftest import PHONE, level


@pytest.fixture
def order(cafe, pastry, coffee, staff):
    return order_place(
        location=cafe,
        lines=[OrderLineInput(pastry, Decimal(2)), OrderLineInput(coffee, Decimal(1))],
        customer_name="Ana",
        customer_phone=PHONE,
    )


def test_delivering_makes_one_sale_and_takes_the_stock_once(client_for, alpha, order, staff, pastry, cafe):
    client = web_client(client_for, alpha, staff)
    for status in ("accepted", "preparing", "ready"):
        assert client.post(f"/orders/{order.pk}/move/", {"to": status}).status_code == 302
    assert level(pastry, cafe).reserved == 2
    client.post(f"/orders/{order.pk}/move/", {"to": "delivered", "payment_method": "cash"})

    order.refresh_from_db()
    assert order.status == Order.Status.DELIVERED and order.sale is not None
    assert order.payment_status == Order.PaymentStatus.PAID and order.payment_provider == "cash"
    sale = Sale.objects.get()
    assert sale == order.sale and sale.total == Decimal("11000.00")
    assert sale.payment_method == PaymentMethod.CASH and sale.seller == staff
    assert level(pastry, cafe).on_hand == 3 and level(pastry, cafe).reserved == 0
    assert order.accepted_at <= order.ready_at <= order.delivered_at


def test_cancelling_needs_a_reason_and_lets_the_stock_go(owner, order, pastry, cafe):
    with pytest.raises(InvalidOrder):
        order_status_set(order=order, user=owner, to="cancelled", reason=" ")
    assert level(pastry, cafe).reserved == 2
    order_status_set(order=order, user=owner, to="cancelled", reason="Sin horno")
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED and order.cancel_reason == "Sin horno"
    assert level(pastry, cafe).reserved == 0 and level(pastry, cafe).on_hand == 5
    with pytest.raises(InvalidTransition):
        order_status_set(order=order, user=owner, to="accepted")


def test_a_delivered_order_stays_delivered(owner, order):
    for status in ("accepted", "ready", "delivered"):
        order_status_set(order=order, user=owner, to=status)
    with pytest.raises(InvalidTransition):
        order_status_set(order=order, user=owner, to="cancelled", reason="tarde")
    assert Sale.objects.count() == 1


def test_a_new_order_cannot_skip_to_delivered(owner, order):
    with pytest.raises(InvalidTransition):
        order_status_set(order=order, user=owner, to="delivered")
    assert not Sale.objects.exists()


def test_a_teacher_cannot_move_orders(teacher_user, order):
    with pytest.raises(PermissionDenied):
        order_status_set(order=order, user=teacher_user, to="accepted")
    order.refresh_from_db()
    assert order.status == Order.Status.NEW


def test_held_stock_is_what_the_suggestions_call_committed(order, pastry, cafe):
    assert stock_reserved_map() == {(pastry.pk, cafe.pk): Decimal("2.000")}


def test_numbers_start_at_one_per_location_and_day(staff, cafe, coffee):
    other = Location.objects.create(name="Café Norte")
    numbers = [
        order_place(
            location=place,
            lines=[OrderLineInput(coffee, Decimal(1))],
            fulfilment="table",
            table="4",
            source=Order.Source.STAFF,
            user=staff,
        ).number
        for place in (cafe, cafe, other, cafe)
    ]
    assert numbers == [1, 2, 1, 3]


def test_every_status_change_is_signalled_after_commit(owner, order, django_capture_on_commit_callbacks):
    seen = []

    def listener(sender, order, old, new, **kwargs):
        seen.append((sender, order.pk, old, new))

    order_status_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            order_status_set(order=order, user=owner, to="accepted")
        with django_capture_on_commit_callbacks(execute=True):
            order_status_set(order=order, user=owner, to="cancelled", reason="cliente")
    finally:
        order_status_changed.disconnect(listener)
    assert seen == [(Order, order.pk, "new", "accepted"), (Order, order.pk, "accepted", "cancelled")]


def test_an_order_paid_online_is_delivered_without_collecting(owner, order):
    order_mark_paid(order=order, provider="mercadopago", reference="123456", amount=Decimal("11000"))
    order_mark_paid(order=order, provider="mercadopago", reference="123456", amount=Decimal("11000"))
    for status in ("accepted", "ready", "delivered"):
        order_status_set(order=order, user=owner, to=status, payment_method="card")
    order.refresh_from_db()
    assert order.payment_provider == "mercadopago" and order.paid_amount == Decimal("11000")
    assert order.sale.payment_method == PaymentMethod.OTHER and "123456" in order.sale.note


def test_a_payment_short_of_the_total_is_refused_and_a_refund_is_shown(owner, order):
    with pytest.raises(InvalidOrder):
        order_mark_paid(order=order, provider="wompi", reference="w-1", amount=Decimal("100"))
    order.refresh_from_db()
    assert order.payment_status == Order.PaymentStatus.UNPAID
    order_mark_paid(order=order, provider="wompi", reference="w-1", amount=Decimal("11000"))
    order_payment_reversed(order=order, reason="contracargo")
    order.refresh_from_db()
    assert order.payment_status == Order.PaymentStatus.REFUNDED and order.payment_note == "contracargo"


def test_the_board_poll_answers_unchanged_until_an_order_arrives(client_for, alpha, staff, cafe, coffee):
    client = web_client(client_for, alpha, staff)
    page = client.get("/orders/")
    assert page.status_code == 200
    first = client.get("/orders/board.json").json()
    assert client.get("/orders/board.json", {"v": first["version"]}).json() == {
        "version": first["version"],
        "changed": False,
    }
    placed = order_place(
        location=cafe, lines=[OrderLineInput(coffee, Decimal(1))], customer_name="Luis", customer_phone=PHONE
    )
    answer = client.get("/orders/board.json", {"v": first["version"]}).json()
    assert answer["changed"] and answer["new"] == [placed.pk]
    assert f'data-order="{placed.pk}"' in answer["html"] and "Luis" in answer["html"]


def test_staff_take_an_order_for_a_table(client_for, alpha, staff, cafe, coffee):
    client = web_client(client_for, alpha, staff)
    assert client.get("/orders/new/").status_code == 200
    response = client.post(
        "/orders/new/", {"location": cafe.pk, "fulfilment": "table", "table": "7", f"qty-{coffee.pk}": "2"}
    )
    assert response.status_code == 302
    order = Order.objects.get()
    assert order.source == Order.Source.STAFF and order.table == "7" and order.created_by == staff


def test_a_till_sale_after_the_hold_leaves_delivery_to_meet_the_shortage(owner, order, pastry, cafe):
    StockLevel.objects.filter(product=pastry, location=cafe).update(on_hand=1)
    for status in ("accepted", "ready"):
        order_status_set(order=order, user=owner, to=status)
    with pytest.raises(Exception, match="Croissant"):
        order_status_set(order=order, user=owner, to="delivered")
    order.refresh_from_db()
    assert order.status == Order.Status.READY and level(pastry, cafe).reserved == 2


def test_the_dashboard_shows_the_orders_figures_and_money_only_to_money_roles(
    client_for, alpha, owner, staff, order, cafe, coffee
):
    order_mark_paid(order=order, provider="mercadopago", reference="1", amount=Decimal("11000"))
    for status in ("accepted", "ready", "delivered"):
        order_status_set(order=order, user=owner, to=status)
    second = order_place(
        location=cafe, lines=[OrderLineInput(coffee, Decimal(3))], customer_name="B", customer_phone=PHONE
    )
    order_status_set(order=second, user=owner, to="accepted")
    order_status_set(order=second, user=owner, to="ready", payment_method="cash")

    owners_page = web_client(client_for, alpha, owner).get("/").content.decode()
    staff_page = web_client(client_for, alpha, staff).get("/").content.decode()

    assert 'data-testid="orders-figures"' in owners_page and 'data-testid="orders-figures"' in staff_page
    assert 'data-testid="orders-average-ticket"' in owners_page
    assert 'data-testid="orders-average-ticket"' not in staff_page
    assert "Tinto" in owners_page and "Croissant" in owners_page
    figures = order_figures()
    assert figures.orders == 2 and figures.average_ticket == Decimal("8500.00")
    assert figures.paid_online_share == Decimal("100.0")  # the one paid order was paid online
    assert figures.top_products[0] == ("Tinto", Decimal("4.000"))


def test_a_shop_without_orders_shows_no_orders_panel(client_for, alpha, owner):
    assert (
        'data-testid="orders-figures"' not in web_client(client_for, alpha, owner).get("/").content.decode()
    )
