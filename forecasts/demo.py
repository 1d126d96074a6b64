"""Two years of believable daily sales for the demo shop, so forecasts and suggestions show on the
first run. Runs in the schema active on the connection, after the inventory demo seed.

``forecast_demo_seed()`` simulates each stock-holding product at each store: demand with weekly
and yearly seasonality and trend (slow movers intermittent), sold from stock that a supplier
refills after its lead time, so stockouts happen now and then as in a real shop. It writes sales,
sale lines and stock movements with bulk inserts, moves the stock levels by the history's net
effect, and runs the forecast once. Safe to run twice: skipped when old sales are already there.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal

import numpy as np
from django.db import transaction
from django.db.models import F

from forecasts.services import forecast_run_execute
from forecasts.synthetic import synthetic_series
from inventory.dates import workspace_timezone, workspace_today
from inventory.models import DocumentCounter, Location, Product, Sale, SaleLine, StockLevel, StockMovement
from inventory.services.common import document_number_next

DAYS = 730
KINDS = ("seasonal", "trend", "intermittent", "seasonal", "intermittent")
DEFAULT_LEAD_DAYS = (3, 7, 5, 10, 14)


def _simulate(demand: np.ndarray, *, lead_days: int, rng: np.random.Generator):
    """Sales and receipts of a shop that orders 3 weeks of demand when stock falls under ~2 weeks,
    and misses a delivery now and then (stockouts); it has not reordered in the last few weeks,
    so a new user sees suggestions on the first run."""
    daily = max(float(demand.mean()), 0.2)
    stock = round(daily * 21) + 2
    receipts = {0: float(stock)}
    arriving: dict[int, float] = {}
    sold = np.zeros(len(demand))
    for day, wanted in enumerate(demand):
        if day in arriving:
            stock += arriving.pop(day)
        sold[day] = min(wanted, stock)
        stock -= sold[day]
        # In the last weeks nobody has reordered yet: that is what the suggestions are for.
        if not arriving and stock <= daily * (lead_days + 7) and day < len(demand) - (lead_days + 35):
            late = int(rng.integers(5, 15)) if rng.random() < 0.08 else 0
            quantity = float(round(daily * 21) + 1)
            arrival = day + max(lead_days, 1) + late
            arriving[arrival] = quantity
            receipts[arrival] = quantity
    receipts = {day: q for day, q in receipts.items() if q > 0 and day < len(demand)}
    return sold, receipts


def forecast_demo_seed(*, seed: int = 2026) -> None:
    tz = workspace_timezone()
    today = workspace_today(tz)
    start = today - timedelta(days=DAYS)
    if Sale.objects.filter(
        created_at__lt=datetime.combine(today - timedelta(days=60), time(0), tzinfo=tz)
    ).exists():
        return
    products = list(Product.objects.filter(is_active=True, tracks_stock=True).order_by("pk"))
    stores = list(Location.objects.filter(is_active=True, kind=Location.Kind.STORE).order_by("pk"))
    if not products or not stores:
        return
    rng = np.random.default_rng(seed)
    plans = []
    for n, product in enumerate(products):
        if not product.lead_time_days:
            product.lead_time_days = DEFAULT_LEAD_DAYS[n % len(DEFAULT_LEAD_DAYS)]
            Product.objects.filter(pk=product.pk).update(lead_time_days=product.lead_time_days)
        for location in stores:
            series = synthetic_series(
                KINDS[n % len(KINDS)], days=DAYS, end=today - timedelta(days=1), rng=rng
            )
            sold, receipts = _simulate(series.demand, lead_days=product.lead_time_days, rng=rng)
            plans.append((product, location, sold, receipts))

    def moment(day: int, hour: int) -> datetime:
        return datetime.combine(start + timedelta(days=day), time(hour), tzinfo=tz)

    with transaction.atomic():
        # One sale per store and day carrying that day's lines.
        days_with_sales = sorted({(loc.pk, d) for _, loc, sold, _ in plans for d in np.flatnonzero(sold > 0)})
        if not days_with_sales:
            return
        first_number = document_number_next(kind="sale")
        DocumentCounter.objects.filter(kind="sale").update(
            last_number=F("last_number") + len(days_with_sales) - 1
        )
        sales = Sale.objects.bulk_create(
            [
                Sale(number=first_number + i, created_at=moment(int(d), 13), location_id=loc, total=0)
                for i, (loc, d) in enumerate(days_with_sales)
            ],
            batch_size=2000,
        )
        sale_of = {key: sale for key, sale in zip(days_with_sales, sales, strict=True)}
        lines, movements, totals = [], [], {}
        for product, location, sold, receipts in plans:
            for day in np.flatnonzero(sold > 0):
                sale = sale_of[(location.pk, int(day))]
                quantity = Decimal(int(sold[day]))
                total = product.sale_price * quantity
                totals[sale.pk] = totals.get(sale.pk, Decimal(0)) + total
                lines.append(
                    SaleLine(
                        sale=sale,
                        product=product,
                        description=product.name,
                        quantity=quantity,
                        unit_price=product.sale_price,
                        tax_rate=product.tax_rate,
                        total=total,
                        unit_cost=product.cost,
                    )
                )
                movements.append(
                    StockMovement(
                        product=product,
                        location=location,
                        kind=StockMovement.Kind.SALE,
                        quantity=-quantity,
                        unit_cost=product.cost,
                        sale=sale,
                        created_at=sale.created_at,
                    )
                )
            for day, quantity in receipts.items():
                movements.append(
                    StockMovement(
                        product=product,
                        location=location,
                        kind=StockMovement.Kind.RECEIPT,
                        quantity=Decimal(int(quantity)),
                        unit_cost=product.cost,
                        reason="Demo history",
                        created_at=moment(day, 8),
                    )
                )
            net = Decimal(int(sum(receipts.values()) - sold.sum()))
            level, _created = StockLevel.objects.get_or_create(product=product, location=location)
            StockLevel.objects.filter(pk=level.pk).update(on_hand=F("on_hand") + net)
        SaleLine.objects.bulk_create(lines, batch_size=5000)
        StockMovement.objects.bulk_create(movements, batch_size=5000)
        for sale in sales:
            sale.total = sale.subtotal = totals.get(sale.pk, Decimal(0))
        Sale.objects.bulk_update(sales, ["total", "subtotal"], batch_size=2000)
    forecast_run_execute()
