"""Point of sale: atomic sales, payments, voids (same day, OWNER/ADMIN) and returns."""

from datetime import UTC, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from audit.models import AuditEvent
from inventory.dates import day_start, workspace_today
from inventory.exceptions import (
    InactiveObject,
    InsufficientStock,
    InvalidPayment,
    InvalidStatus,
    ReasonRequired,
    ReturnExceedsSale,
    SaleNotVoidable,
)
from inventory.models import DocumentCounter, Sale, SaleLine, SaleReturn, StockLevel, StockMovement
from inventory.services import (
    ReturnLineInput,
    SaleLineInput,
    sale_create,
    sale_return,
    sale_void,
    stock_receive,
)
from plans.exceptions import PlanLimitReached
from plans.models import Plan
from tenants.models import Tenant
from tests.inventory.conftest import ledger_total, on_hand
from tests.inventory.factories import ProductFactory


def sell(location, user, *lines, **kwargs) -> Sale:
    return sale_create(
        location=location,
        seller=user,
        lines=[SaleLineInput(product, Decimal(str(quantity))) for product, quantity in lines],
        **kwargs,
    )


def test_sale_takes_stock_and_totals_tax_included_prices(stocked, store, staff):
    sale = sale_create(
        location=store,
        seller=staff,
        lines=[SaleLineInput(stocked, 3, discount=Decimal("600"))],
        amount_tendered=Decimal("10000"),
    )

    assert sale.number == 1
    assert (sale.subtotal, sale.discount_total, sale.total) == (
        Decimal("9600"),
        Decimal("600"),
        Decimal("9000"),
    )
    assert sale.tax_total == Decimal("1561.98")  # 9000 - 9000 / 1.21
    assert sale.change_due == Decimal("1000")
    assert sale.seller == staff
    line = sale.lines.get()
    assert (line.description, line.unit_price, line.unit_cost) == (
        "Yerba mate 500 g",
        Decimal("3200"),
        Decimal("2000"),
    )
    assert on_hand(stocked, store) == 7
    movement = StockMovement.objects.get(sale=sale)
    assert (movement.kind, movement.quantity, movement.user) == ("sale", Decimal("-3"), staff)


def test_sale_with_insufficient_stock_is_refused_and_leaves_nothing(stocked, store, owner):
    other = ProductFactory(name="Azúcar 1 kg")
    stock_receive(product=other, location=store, quantity=1, user=owner)
    movements = StockMovement.objects.count()

    with translation.override("en"), pytest.raises(InsufficientStock) as refused:
        sell(store, owner, (stocked, 2), (other, 5))

    assert "Not enough stock of Azúcar 1 kg at Local Centro: 1 available, 5 requested." in str(refused.value)
    assert not Sale.objects.exists()
    assert not SaleLine.objects.exists()
    assert StockMovement.objects.count() == movements
    assert on_hand(stocked, store) == 10
    assert on_hand(other, store) == 1


def test_a_failing_line_rolls_back_the_lines_before_it(stocked, store, owner):
    inactive = ProductFactory(name="Discontinuado", is_active=False)

    with pytest.raises(InactiveObject):
        sell(store, owner, (stocked, 1), (inactive, 1))

    assert not Sale.objects.exists()
    assert on_hand(stocked, store) == 10
    assert ledger_total(stocked, store) == 10


def test_same_product_on_two_lines_is_checked_as_one(stocked, store, owner):
    with pytest.raises(InsufficientStock):
        sell(store, owner, (stocked, 6), (stocked, 5))

    sell(store, owner, (stocked, 6), (stocked, 4))
    assert on_hand(stocked, store) == 0


def test_services_and_class_packages_are_sold_without_movements(alpha, store, owner):
    classes = ProductFactory(name="Pack 8 clases de salsa", tracks_stock=False, sale_price=Decimal("24000"))

    sale = sell(store, owner, (classes, 2), payment_method="transfer")

    assert sale.total == Decimal("48000")
    assert sale.amount_tendered is None
    assert not StockMovement.objects.exists()


def test_cash_tendered_below_the_total_is_refused(stocked, store, owner):
    with translation.override("en"), pytest.raises(InvalidPayment) as refused:
        sell(store, owner, (stocked, 1), amount_tendered=Decimal("3000"))

    assert "less than the total" in str(refused.value)
    assert not Sale.objects.exists()


def test_sale_numbers_have_no_gaps_after_a_refusal(stocked, store, owner):
    sell(store, owner, (stocked, 1))
    with pytest.raises(InsufficientStock):
        sell(store, owner, (stocked, 100))
    second = sell(store, owner, (stocked, 1))

    assert second.number == 2
    assert DocumentCounter.objects.get(kind="sale").last_number == 2


def test_sales_a_month_plan_limit_is_enforced_with_its_message(stocked, store, owner):
    tiny = Plan.objects.create(code="tiny-test", name="Tiny", rank=1, is_public=False, max_sales_per_month=2)
    Tenant.objects.filter(schema_name="alpha").update(plan=tiny)
    sell(store, owner, (stocked, 1))
    sell(store, owner, (stocked, 1))

    with translation.override("en"), pytest.raises(PlanLimitReached) as refused:
        sell(store, owner, (stocked, 1))

    assert refused.value.message == "Your plan allows 2 sales a month; upgrade to Básico for 1,000."
    assert Sale.objects.count() == 2
    assert on_hand(stocked, store) == 8


# --- Voids ------------------------------------------------------------------------------------------


def test_owner_or_admin_voids_a_sale_of_today_and_the_stock_comes_back(stocked, store, staff, admin):
    sale = sell(store, staff, (stocked, 4))

    with pytest.raises(PermissionDenied):
        sale_void(sale=sale, user=staff, reason="Error de cobro")
    with pytest.raises(ReasonRequired):
        sale_void(sale=sale, user=admin, reason="")
    assert on_hand(stocked, store) == 6

    sale_void(sale=sale, user=admin, reason="Error de cobro")

    sale.refresh_from_db()
    assert sale.status == Sale.Status.VOIDED
    assert (sale.voided_by, sale.void_reason) == (admin, "Error de cobro")
    assert on_hand(stocked, store) == 10
    assert ledger_total(stocked, store) == 10
    back = StockMovement.objects.get(sale=sale, kind=StockMovement.Kind.RETURN)
    assert (back.quantity, back.reason, back.user) == (Decimal("4"), "Error de cobro", admin)
    event = AuditEvent.objects.get(action=AuditEvent.Action.SALE_VOIDED)
    assert (event.actor, event.data["number"], event.data["reason"]) == (admin, sale.number, "Error de cobro")
    with pytest.raises(InvalidStatus):
        sale_void(sale=sale, user=admin, reason="Otra vez")


def test_sales_of_earlier_days_cannot_be_voided(stocked, store, owner):
    yesterday = timezone.now() - timedelta(days=1)
    sale = sell(store, owner, (stocked, 1), occurred_at=yesterday)

    with pytest.raises(SaleNotVoidable):
        sale_void(sale=sale, user=owner, reason="Tarde")

    assert Sale.objects.get().status == Sale.Status.COMPLETED
    assert on_hand(stocked, store) == 9


def test_same_day_is_the_workspace_day_not_the_server_day(stocked, store, owner):
    # Alpha keeps Buenos Aires time (UTC-3): a minute before its midnight is already "today" in UTC.
    local_midnight = day_start(workspace_today())
    late_yesterday = sell(store, owner, (stocked, 1), occurred_at=local_midnight - timedelta(minutes=1))
    early_today = sell(store, owner, (stocked, 1), occurred_at=local_midnight + timedelta(minutes=1))
    assert late_yesterday.created_at.astimezone(UTC).date() == workspace_today()

    with pytest.raises(SaleNotVoidable):
        sale_void(sale=late_yesterday, user=owner, reason="x")
    sale_void(sale=early_today, user=owner, reason="x")

    assert on_hand(stocked, store) == 9


def test_a_sale_with_returns_cannot_be_voided(stocked, store, owner):
    sale = sell(store, owner, (stocked, 2))
    sale_return(sale=sale, user=owner, reason="Fallado", lines=[ReturnLineInput(sale.lines.get(), 1)])

    with pytest.raises(SaleNotVoidable):
        sale_void(sale=sale, user=owner, reason="x")


# --- Returns ------------------------------------------------------------------------------------------


def test_partial_then_full_return_refunds_exactly_what_was_paid(stocked, store, owner, admin):
    sale = sale_create(
        location=store, seller=owner, lines=[SaleLineInput(stocked, 3, unit_price=Decimal("1000.01"))]
    )
    line = sale.lines.get()
    assert line.total == Decimal("3000.03")

    first = sale_return(sale=sale, user=admin, reason="Cambio de opinión", lines=[ReturnLineInput(line, 1)])
    assert first.refund_total == Decimal("1000.01")
    assert on_hand(stocked, store) == 8

    rest = sale_return(sale=sale, user=admin, reason="Fallado")
    assert rest.refund_total == Decimal("2000.02")
    assert first.refund_total + rest.refund_total == sale.total
    line.refresh_from_db()
    assert line.returned_quantity == 3
    assert on_hand(stocked, store) == 10
    assert ledger_total(stocked, store) == 10
    assert StockMovement.objects.filter(sale_return=rest, kind="return").get().quantity == 2
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SALE_RETURNED).count() == 2

    with pytest.raises(ReturnExceedsSale):
        sale_return(sale=sale, user=admin, reason="Otra vez")


def test_returning_more_than_was_sold_is_refused(stocked, store, owner):
    sale = sell(store, owner, (stocked, 2))

    with pytest.raises(ReturnExceedsSale):
        sale_return(sale=sale, user=owner, reason="x", lines=[ReturnLineInput(sale.lines.get(), 3)])

    assert not SaleReturn.objects.exists()
    assert on_hand(stocked, store) == 8


def test_staff_cannot_take_returns(stocked, store, staff):
    sale = sell(store, staff, (stocked, 1))

    with pytest.raises(PermissionDenied):
        sale_return(sale=sale, user=staff, reason="x")

    assert on_hand(stocked, store) == 9


def test_returned_stock_comes_back_at_the_cost_it_left_at(stocked, store, owner):
    sale = sell(store, owner, (stocked, 5))
    stock_receive(product=stocked, location=store, quantity=5, unit_cost=Decimal("3000"), user=owner)

    sale_return(sale=sale, user=owner, reason="Devolución")

    # 10 at 2500 (average after the receipt) + 5 back at 2000 (the cost they left at) = 35000 / 15.
    assert StockLevel.objects.get(product=stocked, location=store).average_cost == Decimal("2333.3333")
