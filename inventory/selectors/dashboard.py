"""The dashboard's figures (seed 001), each one aggregate query, all with an optional location.

Built for a million sales: today's money and the 30-day chart read the hourly totals that
database triggers keep as sales, voids and returns are written (SalesHourTotal: a few hundred
rows for a month), never the sales themselves. Hours are UTC; a workspace day is the hours
between its local midnights, exact for every whole-hour time zone (all of Latin America's).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import DecimalField, F, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, TruncDate

from inventory.dates import day_bounds, workspace_timezone, workspace_today
from inventory.models import Expense, Location, Product, Sale, SalesHourTotal

ZERO_MONEY = Value(Decimal("0.00"), output_field=DecimalField(max_digits=14, decimal_places=2))


@dataclass(frozen=True)
class DashboardFigures:
    day: date
    sales_total: Decimal  # completed sales made today
    sales_count: int
    refunds: Decimal  # returns refunded today
    income: Decimal  # sales_total - refunds
    expenses: Decimal  # expenses dated today
    balance: Decimal  # income - expenses
    active_products: int


def dashboard_figures(*, location: Location | None = None, day: date | None = None) -> DashboardFigures:
    """Today's (or ``day``'s) income, expenses and balance, and the number of active products.

    With ``location``: sales, returns and expenses of that location only (expenses without a
    location belong to the whole business and are left out).
    """
    tz = workspace_timezone()
    day = day or workspace_today(tz)
    start, end = day_bounds(day, tz=tz)
    hours = SalesHourTotal.objects.filter(hour__gte=start, hour__lt=end)
    expenses = Expense.objects.filter(date=day)
    if location is not None:
        hours = hours.filter(location=location)
        expenses = expenses.filter(location=location)
    sold = hours.aggregate(
        total=Coalesce(Sum("sales_total"), ZERO_MONEY),
        count=Coalesce(Sum("sales_count"), 0),
        refunds=Coalesce(Sum("refunds_total"), ZERO_MONEY),
    )
    refunds = sold["refunds"]
    spent = expenses.aggregate(total=Coalesce(Sum("amount"), ZERO_MONEY))["total"]
    income = sold["total"] - refunds
    return DashboardFigures(
        day=day,
        sales_total=sold["total"],
        sales_count=sold["count"],
        refunds=refunds,
        income=income,
        expenses=spent,
        balance=income - spent,
        active_products=Product.objects.filter(is_active=True).count(),
    )


def dashboard_low_stock(*, location: Location | None = None, limit: int = 10) -> list[Product]:
    """The active stock-holding products lowest against their minimum (minimum above zero),
    lowest first. Each product carries ``on_hand`` (all locations, or ``location``'s) and
    ``cover`` (on_hand / min_stock: 0.5 = half the minimum). One query."""
    level_filter = Q(stock_levels__location=location) if location is not None else Q()
    return list(
        Product.objects.filter(is_active=True, tracks_stock=True, min_stock__gt=0)
        .annotate(
            on_hand=Coalesce(
                Sum("stock_levels__on_hand", filter=level_filter),
                Value(Decimal("0"), output_field=DecimalField(max_digits=14, decimal_places=3)),
            )
        )
        .annotate(cover=F("on_hand") / F("min_stock"))
        .order_by("cover", "name")[:limit]
    )


def dashboard_latest_sales(*, location: Location | None = None, limit: int = 10) -> QuerySet[Sale]:
    """The latest completed sales with their location and seller."""
    sales = Sale.objects.filter(status=Sale.Status.COMPLETED).select_related("location", "seller")
    if location is not None:
        sales = sales.filter(location=location)
    return sales.order_by("-created_at", "-id")[:limit]


@dataclass(frozen=True)
class DaySales:
    day: date
    total: Decimal
    count: int


def dashboard_sales_per_day(*, location: Location | None = None, days: int = 30) -> list[DaySales]:
    """Completed sales per workspace day for the last ``days`` days (today included), oldest first;
    days without sales are zero. One grouped query."""
    tz = workspace_timezone()
    today = workspace_today(tz)
    first = today - timedelta(days=days - 1)
    start, end = day_bounds(first, today, tz=tz)
    hours = SalesHourTotal.objects.filter(hour__gte=start, hour__lt=end)
    if location is not None:
        hours = hours.filter(location=location)
    rows = {
        row["day"]: row
        for row in hours.annotate(day=TruncDate("hour", tzinfo=tz))
        .values("day")
        .annotate(total=Sum("sales_total"), count=Sum("sales_count"))
        .order_by()
    }
    series = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        row = rows.get(day)
        series.append(
            DaySales(
                day=day, total=row["total"] if row else Decimal("0.00"), count=row["count"] if row else 0
            )
        )
    return series


@dataclass(frozen=True)
class Dashboard:
    location: Location | None
    figures: DashboardFigures
    low_stock: list[Product]
    latest_sales: list[Sale]
    sales_per_day: list[DaySales]


def dashboard_get(*, location: Location | None = None) -> Dashboard:
    """Everything the dashboard shows, in a fixed handful of queries."""
    return Dashboard(
        location=location,
        figures=dashboard_figures(location=location),
        low_stock=dashboard_low_stock(location=location),
        latest_sales=list(dashboard_latest_sales(location=location)),
        sales_per_day=dashboard_sales_per_day(location=location),
    )
