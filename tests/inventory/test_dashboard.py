"""Dashboard figures, expenses and the sales history that forecasts read."""

import datetime
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from inventory.dates import day_start, workspace_today
from inventory.exceptions import InvalidInput
from inventory.selectors import (
    dashboard_figures,
    dashboard_get,
    dashboard_latest_sales,
    dashboard_low_stock,
    dashboard_sales_per_day,
    sales_history,
)
from inventory.services import (
    ReturnLineInput,
    SaleLineInput,
    expense_create,
    sale_create,
    sale_return,
    sale_void,
    stock_receive,
)
from tests.inventory.factories import ExpenseCategoryFactory, ProductFactory


def at(days_ago: int, hour: int) -> datetime.datetime:
    return day_start(workspace_today() - timedelta(days=days_ago)) + timedelta(hours=hour)


def sell(location, user, product, quantity, *, when=None):
    return sale_create(
        location=location, seller=user, lines=[SaleLineInput(product, quantity)], occurred_at=when
    )


@pytest.fixture
def shop(stocked, store, warehouse, owner):
    """Sales today and on earlier days at two places, a return, a void and expenses."""
    stock_receive(product=stocked, location=warehouse, quantity=10, user=owner)
    today_store = sell(store, owner, stocked, 2, when=at(0, 1))  # 6400
    sell(warehouse, owner, stocked, 1, when=at(0, 1))  # 3200
    voided = sell(store, owner, stocked, 1, when=at(0, 2))
    sale_void(sale=voided, user=owner, reason="Error")
    sale_return(
        sale=today_store, user=owner, reason="Fallado", lines=[ReturnLineInput(today_store.lines.get(), 1)]
    )
    sell(store, owner, stocked, 3, when=at(2, 10))  # 9600, two days ago
    sell(store, owner, stocked, 1, when=at(40, 10))  # outside the 30-day window
    rent = ExpenseCategoryFactory(name="Alquiler")
    expense_create(user=owner, date=workspace_today(), amount=Decimal("1000"), category=rent, location=store)
    expense_create(user=owner, date=workspace_today(), amount=Decimal("500"), category=rent)
    expense_create(
        user=owner, date=workspace_today() - timedelta(days=1), amount=Decimal("99"), category=rent
    )
    return stocked


def test_todays_income_expenses_and_balance(shop, store, warehouse):
    figures = dashboard_figures()

    assert figures.sales_total == Decimal("9600.00")  # voided sale left out
    assert figures.sales_count == 2
    assert figures.refunds == Decimal("3200.00")
    assert figures.income == Decimal("6400.00")
    assert figures.expenses == Decimal("1500.00")
    assert figures.balance == Decimal("4900.00")
    assert figures.active_products == 1


def test_figures_for_one_location(shop, store, warehouse):
    at_store = dashboard_figures(location=store)
    at_warehouse = dashboard_figures(location=warehouse)

    assert (at_store.sales_total, at_store.refunds, at_store.expenses) == (
        Decimal("6400.00"),
        Decimal("3200.00"),
        Decimal("1000.00"),
    )
    assert at_store.balance == Decimal("2200.00")
    assert (at_warehouse.sales_total, at_warehouse.expenses) == (Decimal("3200.00"), Decimal("0.00"))


def test_sales_per_day_covers_thirty_days_with_zeros(shop, store):
    series = dashboard_sales_per_day()

    assert len(series) == 30
    assert series[-1].day == workspace_today()
    assert (series[-1].total, series[-1].count) == (Decimal("9600.00"), 2)
    assert (series[-3].total, series[-3].count) == (Decimal("9600.00"), 1)
    assert sum(day.count for day in series) == 3
    assert dashboard_sales_per_day(location=store)[-1].total == Decimal("6400.00")


def test_latest_sales_newest_first_without_voids(shop, store):
    latest = list(dashboard_latest_sales())

    assert [sale.total for sale in latest] == [
        Decimal("3200.00"),
        Decimal("6400.00"),
        Decimal("9600.00"),
        Decimal("3200.00"),
    ]
    assert all(sale.location.name for sale in latest)
    assert len(dashboard_latest_sales(location=store)) == 3


def test_low_stock_ranks_products_against_their_minimum(alpha, store, warehouse, owner):
    half = ProductFactory(name="Mitad", min_stock=10)
    stock_receive(product=half, location=store, quantity=5, user=owner)
    ProductFactory(name="Nada", min_stock=4)
    plenty = ProductFactory(name="Sobra", min_stock=2)
    stock_receive(product=plenty, location=warehouse, quantity=50, user=owner)
    ProductFactory(name="Sin mínimo")
    ProductFactory(name="Servicio", min_stock=5, tracks_stock=False)

    ranked = dashboard_low_stock()
    at_warehouse = dashboard_low_stock(location=warehouse)

    assert [(p.name, p.on_hand) for p in ranked] == [("Nada", 0), ("Mitad", 5), ("Sobra", 50)]
    assert [(p.name, p.on_hand) for p in at_warehouse] == [("Mitad", 0), ("Nada", 0), ("Sobra", 50)]


def test_dashboard_runs_a_fixed_number_of_queries(shop, store, owner, query_log):
    with query_log() as before:
        dashboard_get(location=store)
    for index in range(5):
        more = ProductFactory(min_stock=3)
        stock_receive(product=more, location=store, quantity=10, user=owner)
        sell(store, owner, more, 1, when=at(index, 12))

    with query_log() as after:
        dashboard = dashboard_get(location=store)
        [(sale.location.name, sale.seller) for sale in dashboard.latest_sales]

    assert len(after) == len(before) <= 10
    assert len(dashboard.low_stock) == 5  # the yerba has no minimum


# --- Sales history (forecasts) -----------------------------------------------------------------


def test_sales_history_is_net_of_returns_per_day_product_and_location(shop, store, warehouse):
    today = workspace_today()

    rows = sales_history(date_from=today - timedelta(days=30), date_to=today)

    assert [(row.day, row.location_id, row.quantity, row.amount) for row in rows] == [
        (today - timedelta(days=2), store.pk, Decimal("3.000"), Decimal("9600.00")),
        (today, store.pk, Decimal("1.000"), Decimal("3200.00")),  # 2 sold, 1 returned, 1 voided
        (today, warehouse.pk, Decimal("1.000"), Decimal("3200.00")),
    ]
    assert sales_history(date_from=today, date_to=today, location=warehouse)[0].quantity == 1
    assert sales_history(date_from=today, date_to=today, product_ids=[0]) == []


# --- Expenses --------------------------------------------------------------------------------------


def test_expenses_need_a_positive_amount_and_the_right_role(alpha, owner, staff):
    rent = ExpenseCategoryFactory()

    with pytest.raises(PermissionDenied):
        expense_create(user=staff, date=workspace_today(), amount=Decimal("10"), category=rent)
    with pytest.raises(InvalidInput):
        expense_create(user=owner, date=workspace_today(), amount=Decimal("0"), category=rent)

    expense = expense_create(user=owner, date=workspace_today(), amount="1234.567", category=rent, note="Luz")
    assert expense.amount == Decimal("1234.57")
