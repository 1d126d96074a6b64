"""Reads of sales, returns and quotes, and the sales history that forecasts read."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch, QuerySet, Sum
from django.db.models.functions import TruncDate

from accounts.permissions import Perm
from inventory.dates import day_bounds, workspace_timezone
from inventory.models import Location, Quote, QuoteLine, Sale, SaleLine, SaleReturn, SaleReturnLine
from inventory.selectors.common import object_get


def _sales() -> QuerySet[Sale]:
    return Sale.objects.select_related("location", "seller", "voided_by").prefetch_related(
        Prefetch("lines", queryset=SaleLine.objects.select_related("product").order_by("pk")),
        Prefetch("returns", queryset=SaleReturn.objects.select_related("user").order_by("pk")),
    )


def sale_get(*, sale_id, user) -> Sale:
    """A sale with its lines and returns (RECORD_SALES)."""
    return object_get(_sales(), sale_id, user=user, perm=Perm.RECORD_SALES)


def sale_list(
    *,
    location: Location | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    status: str | None = None,
    seller=None,
) -> QuerySet[Sale]:
    """Sales, newest first, between two workspace days (inclusive), with location and seller."""
    sales = Sale.objects.select_related("location", "seller")
    tz = workspace_timezone()
    if date_from is not None:
        sales = sales.filter(created_at__gte=day_bounds(date_from, tz=tz)[0])
    if date_to is not None:
        sales = sales.filter(created_at__lt=day_bounds(date_to, tz=tz)[1])
    if location is not None:
        sales = sales.filter(location=location)
    if status:
        sales = sales.filter(status=status)
    if seller is not None:
        sales = sales.filter(seller=seller)
    return sales.order_by("-created_at", "-id")


def sale_return_list(*, sale: Sale | None = None, location: Location | None = None) -> QuerySet[SaleReturn]:
    returns = SaleReturn.objects.select_related("sale", "sale__location", "user")
    if sale is not None:
        returns = returns.filter(sale=sale)
    if location is not None:
        returns = returns.filter(sale__location=location)
    return returns.order_by("-created_at", "-id")


@dataclass(frozen=True)
class SalesHistoryRow:
    day: date
    product_id: int
    location_id: int
    quantity: Decimal  # sold that day, net of what was returned that day
    amount: Decimal  # money taken, net of refunds


def sales_history(
    *,
    date_from: date,
    date_to: date,
    product_ids: list[int] | None = None,
    location: Location | None = None,
) -> list[SalesHistoryRow]:
    """Units and money sold per (workspace day, product, location), net of returns, for forecasts.

    Completed sales count on the day they were made; returns subtract on the day they were made;
    voided sales do not count. Days without sales are absent. Two aggregate queries.
    """
    tz = workspace_timezone()
    start, end = day_bounds(date_from, date_to, tz=tz)
    sold = SaleLine.objects.filter(
        sale__status=Sale.Status.COMPLETED, sale__created_at__gte=start, sale__created_at__lt=end
    )
    returned = SaleReturnLine.objects.filter(
        sale_return__created_at__gte=start, sale_return__created_at__lt=end
    )
    if product_ids is not None:
        sold = sold.filter(product_id__in=product_ids)
        returned = returned.filter(product_id__in=product_ids)
    if location is not None:
        sold = sold.filter(sale__location=location)
        returned = returned.filter(sale_return__sale__location=location)
    totals: dict[tuple, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for row in (
        sold.annotate(day=TruncDate("sale__created_at", tzinfo=tz))
        .values("day", "product_id", "sale__location_id")
        .annotate(quantity=Sum("quantity"), amount=Sum("total"))
        .order_by()
    ):
        entry = totals[(row["day"], row["product_id"], row["sale__location_id"])]
        entry[0] += row["quantity"]
        entry[1] += row["amount"]
    for row in (
        returned.annotate(day=TruncDate("sale_return__created_at", tzinfo=tz))
        .values("day", "product_id", "sale_return__sale__location_id")
        .annotate(quantity=Sum("quantity"), amount=Sum("amount"))
        .order_by()
    ):
        entry = totals[(row["day"], row["product_id"], row["sale_return__sale__location_id"])]
        entry[0] -= row["quantity"]
        entry[1] -= row["amount"]
    return [
        SalesHistoryRow(
            day=day, product_id=product_id, location_id=location_id, quantity=quantity, amount=amount
        )
        for (day, product_id, location_id), (quantity, amount) in sorted(totals.items())
    ]


def _quotes() -> QuerySet[Quote]:
    return Quote.objects.select_related("location", "created_by", "sale").prefetch_related(
        Prefetch("lines", queryset=QuoteLine.objects.select_related("product").order_by("pk"))
    )


def quote_get(*, quote_id, user) -> Quote:
    """A quote with its lines (CREATE_QUOTES)."""
    return object_get(_quotes(), quote_id, user=user, perm=Perm.CREATE_QUOTES)


def quote_list(*, status: str | None = None, location: Location | None = None) -> QuerySet[Quote]:
    quotes = Quote.objects.select_related("location", "created_by")
    if status:
        quotes = quotes.filter(status=status)
    if location is not None:
        quotes = quotes.filter(location=location)
    return quotes.order_by("-number")
