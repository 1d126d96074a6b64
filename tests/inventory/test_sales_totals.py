"""The dashboard's hourly totals always equal what the sales say: after sales, voids, returns and
imports of past sales, whatever wrote them, and after a rebuild."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from accounts.models import User
from inventory.models import Sale, SaleReturn, SalesHourTotal
from inventory.selectors.dashboard import dashboard_figures, dashboard_sales_per_day
from inventory.services import sale_create, sale_return, sale_void, stock_receive
from inventory.services.sales import ReturnLineInput, SaleLineInput
from inventory.services.totals import sales_totals_rebuild
from tests.inventory.factories import LocationFactory, ProductFactory


def totals_by_location() -> dict:
    return {
        row["location"]: (row["sales"], row["count"], row["refunds"])
        for row in SalesHourTotal.objects.values("location").annotate(
            sales=Sum("sales_total"), count=Sum("sales_count"), refunds=Sum("refunds_total")
        )
    }


def truth_by_location() -> dict:
    truth = {}
    for sale in Sale.objects.filter(status=Sale.Status.COMPLETED):
        sales, count, refunds = truth.get(sale.location_id, (Decimal(0), 0, Decimal(0)))
        truth[sale.location_id] = (sales + sale.total, count + 1, refunds)
    for refund in SaleReturn.objects.select_related("sale"):
        sales, count, refunds = truth.get(refund.sale.location_id, (Decimal(0), 0, Decimal(0)))
        truth[refund.sale.location_id] = (sales, count, refunds + refund.refund_total)
    return truth


@pytest.fixture
def shop(alpha):
    owner = User.objects.get(email="owner@alpha.test")
    centre, north = LocationFactory(name="Centro"), LocationFactory(name="Norte")
    yerba = ProductFactory(sku="YER-1", sale_price=Decimal("3200"))
    cafe = ProductFactory(sku="CAF-1", sale_price=Decimal("4500"))
    for place in (centre, north):
        for product in (yerba, cafe):
            stock_receive(
                product=product, location=place, quantity=100, unit_cost=Decimal("1000"), user=owner
            )
    return {"tenant": alpha, "owner": owner, "centre": centre, "north": north, "yerba": yerba, "cafe": cafe}


def sell(shop, place, product, quantity=1, at=None):
    return sale_create(
        location=shop[place],
        seller=shop["owner"],
        lines=[SaleLineInput(product=shop[product], quantity=Decimal(quantity))],
        amount_tendered=Decimal("1000000"),
        occurred_at=at,
    )


def test_sales_voids_returns_and_past_sales_keep_the_totals_equal_to_the_sales(shop):
    sell(shop, "centre", "yerba", 2)
    voided = sell(shop, "centre", "cafe", 1)
    returned = sell(shop, "north", "cafe", 3)
    sell(shop, "north", "yerba", 1, at=timezone.now() - timedelta(days=40))  # an imported past sale

    sale_void(sale=voided, user=shop["owner"], reason="Error de cobro")
    line = returned.lines.get()
    sale_return(
        sale=returned, user=shop["owner"], reason="Vencido", lines=[ReturnLineInput(line, Decimal(1))]
    )

    assert totals_by_location() == truth_by_location()
    today = dashboard_figures()
    assert today.sales_total == Decimal("6400.00") + Decimal("13500.00")
    assert today.sales_count == 2
    assert today.refunds == Decimal("4500.00")
    assert dashboard_figures(location=shop["north"]).sales_total == Decimal("13500.00")
    assert dashboard_sales_per_day()[-1].total == Decimal("19900.00")


def test_a_rebuild_repairs_totals_that_drifted_and_changes_nothing_when_they_are_right(shop):
    sell(shop, "centre", "yerba", 2)
    sell(shop, "north", "cafe", 1)
    right = totals_by_location()
    SalesHourTotal.objects.update(sales_total=Decimal("1.00"))  # as if something went wrong

    sales_totals_rebuild()
    assert totals_by_location() == right == truth_by_location()
    call_command("sales_totals_rebuild", "--schema", shop["tenant"].schema_name)
    assert totals_by_location() == right
