"""Fixtures of the forecast tests: alpha's schema and team (from the inventory tests), and a
writer of sales history straight into the ledger (years of sales through the services would be
too slow for a test)."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.db.models import Max

from inventory.dates import workspace_timezone
from inventory.models import Sale, SaleLine, StockLevel, StockMovement
from tests.inventory.conftest import admin, alpha, owner, staff, store  # noqa: F401

TODAY = date(2026, 6, 1)
END = TODAY - timedelta(days=1)


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=workspace_timezone())


def history_write(product, location, *, daily: list[float], receipts: dict[int, float], end: date = END):
    """Sales of ``daily[i]`` units on day i (the last one on ``end``) and receipts
    ``{day index: quantity}``, as sales, sale lines and stock movements; the stock level ends at
    what came in minus what went out."""
    start = end - timedelta(days=len(daily) - 1)
    number = (Sale.objects.aggregate(last=Max("number"))["last"] or 0) + 1
    sales, movements = [], []
    for index, quantity in enumerate(daily):
        if quantity > 0:
            sales.append(
                Sale(
                    number=number,
                    created_at=_moment(start + timedelta(days=index)),
                    location=location,
                    total=0,
                )
            )
            number += 1
    sales = Sale.objects.bulk_create(sales)
    lines = []
    sold = iter(sales)
    for quantity in daily:
        if quantity > 0:
            sale = next(sold)
            lines.append(
                SaleLine(
                    sale=sale,
                    product=product,
                    description=product.name,
                    quantity=Decimal(str(quantity)),
                    unit_price=product.sale_price,
                    total=0,
                )
            )
            movements.append(
                StockMovement(
                    product=product,
                    location=location,
                    kind=StockMovement.Kind.SALE,
                    quantity=-Decimal(str(quantity)),
                    sale=sale,
                    created_at=sale.created_at + timedelta(hours=1),
                )
            )
    for index, quantity in receipts.items():
        movements.append(
            StockMovement(
                product=product,
                location=location,
                kind=StockMovement.Kind.RECEIPT,
                quantity=Decimal(str(quantity)),
                unit_cost=product.cost,
                created_at=_moment(start + timedelta(days=index)) - timedelta(hours=3),
            )
        )
    SaleLine.objects.bulk_create(lines)
    StockMovement.objects.bulk_create(movements)
    on_hand = Decimal(str(sum(receipts.values()) - sum(daily)))
    StockLevel.objects.update_or_create(product=product, location=location, defaults={"on_hand": on_hand})


@pytest.fixture
def write_history():
    return history_write
