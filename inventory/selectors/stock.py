"""Reads of the stock ledger: levels, movements, transfers and counts."""

from decimal import Decimal

from django.db.models import F, Prefetch, Q, QuerySet

from accounts.permissions import Perm
from inventory.models import (
    Location,
    Product,
    StockCount,
    StockCountLine,
    StockLevel,
    StockMovement,
    Transfer,
    TransferLine,
)
from inventory.selectors.catalogue import product_search_filter
from inventory.selectors.common import object_get


def stock_level_list(
    *,
    location: Location | None = None,
    product: Product | None = None,
    search: str = "",
    below_minimum: bool = False,
    active_only: bool = True,
) -> QuerySet[StockLevel]:
    """Stock levels with their product (and category) and location, by product then location.

    ``below_minimum``: levels under the product's minimum stock.
    """
    levels = StockLevel.objects.select_related("product", "product__category", "location")
    if location is not None:
        levels = levels.filter(location=location)
    if product is not None:
        levels = levels.filter(product=product)
    if active_only:
        levels = levels.filter(product__is_active=True)
    if search:
        levels = product_search_filter(levels, search, prefix="product__")
    if below_minimum:
        levels = levels.filter(on_hand__lt=F("product__min_stock"))
    return levels.order_by("product__name", "location__name")


def stock_on_hand(*, product: Product, location: Location) -> Decimal:
    """On-hand of one product at one location (zero when it never had stock there)."""
    value = (
        StockLevel.objects.filter(product=product, location=location)
        .values_list("on_hand", flat=True)
        .first()
    )
    return value if value is not None else Decimal("0.000")


def stock_on_hand_map(
    *, product_ids: list[int] | None = None, location: Location | None = None
) -> dict[tuple[int, int], Decimal]:
    """{(product id, location id): on hand} for forecasts and reorder suggestions, in one query."""
    levels = StockLevel.objects.all()
    if product_ids is not None:
        levels = levels.filter(product_id__in=product_ids)
    if location is not None:
        levels = levels.filter(location=location)
    return {
        (p, loc): on_hand for p, loc, on_hand in levels.values_list("product_id", "location_id", "on_hand")
    }


def stock_reserved_map(
    *, product_ids: list[int] | None = None, location: Location | None = None
) -> dict[tuple[int, int], Decimal]:
    """{(product id, location id): held for accepted customer orders}, levels holding any. The
    "committed" quantity of the replenishment suggestions. One query."""
    levels = StockLevel.objects.filter(reserved__gt=0)
    if product_ids is not None:
        levels = levels.filter(product_id__in=product_ids)
    if location is not None:
        levels = levels.filter(location=location)
    return {
        (p, loc): reserved for p, loc, reserved in levels.values_list("product_id", "location_id", "reserved")
    }


def stock_movement_list(
    *,
    product: Product | None = None,
    location: Location | None = None,
    kind: str | None = None,
) -> QuerySet[StockMovement]:
    """The ledger, newest first, with product, location, user and documents joined in."""
    movements = StockMovement.objects.select_related(
        "product", "location", "user", "sale", "sale_return", "purchase_order", "transfer", "stock_count"
    )
    if product is not None:
        movements = movements.filter(product=product)
    if location is not None:
        movements = movements.filter(location=location)
    if kind:
        movements = movements.filter(kind=kind)
    return movements.order_by("-created_at", "-id")


def _transfers() -> QuerySet[Transfer]:
    return Transfer.objects.select_related(
        "origin", "destination", "sent_by", "received_by"
    ).prefetch_related(
        Prefetch("lines", queryset=TransferLine.objects.select_related("product").order_by("pk"))
    )


def transfer_get(*, transfer_id, user) -> Transfer:
    return object_get(_transfers(), transfer_id, user=user, perm=Perm.MANAGE_STOCK)


def transfer_list(*, status: str | None = None, location: Location | None = None) -> QuerySet[Transfer]:
    """Transfers, newest first; ``location`` matches either end."""
    transfers = _transfers()
    if status:
        transfers = transfers.filter(status=status)
    if location is not None:
        transfers = transfers.filter(Q(origin=location) | Q(destination=location))
    return transfers.order_by("-number")


def _counts() -> QuerySet[StockCount]:
    return StockCount.objects.select_related("location", "created_by", "posted_by").prefetch_related(
        Prefetch("lines", queryset=StockCountLine.objects.select_related("product").order_by("product__name"))
    )


def stock_count_get(*, stock_count_id, user) -> StockCount:
    return object_get(_counts(), stock_count_id, user=user, perm=Perm.MANAGE_STOCK)


def stock_count_list(*, location: Location | None = None, status: str | None = None) -> QuerySet[StockCount]:
    counts = StockCount.objects.select_related("location", "created_by", "posted_by")
    if location is not None:
        counts = counts.filter(location=location)
    if status:
        counts = counts.filter(status=status)
    return counts.order_by("-number")
