"""Reads of purchase orders, and the quantity on order that forecasts and reorder screens need."""

from decimal import Decimal

from django.db.models import F, Prefetch, QuerySet, Sum

from accounts.permissions import Perm
from inventory.models import Location, PurchaseOrder, PurchaseOrderLine, Supplier
from inventory.selectors.common import object_get


def _orders() -> QuerySet[PurchaseOrder]:
    return PurchaseOrder.objects.select_related("supplier", "location", "created_by").prefetch_related(
        Prefetch("lines", queryset=PurchaseOrderLine.objects.select_related("product").order_by("pk"))
    )


def purchase_order_get(*, purchase_order_id, user) -> PurchaseOrder:
    """An order with its lines and supplier (MANAGE_SUPPLIER_INVOICES)."""
    return object_get(_orders(), purchase_order_id, user=user, perm=Perm.MANAGE_SUPPLIER_INVOICES)


def purchase_order_list(
    *, status: str | None = None, supplier: Supplier | None = None, location: Location | None = None
) -> QuerySet[PurchaseOrder]:
    orders = PurchaseOrder.objects.select_related("supplier", "location")
    if status:
        orders = orders.filter(status=status)
    if supplier is not None:
        orders = orders.filter(supplier=supplier)
    if location is not None:
        orders = orders.filter(location=location)
    return orders.order_by("-number")


def quantity_on_order(
    *, product_ids: list[int] | None = None, location: Location | None = None
) -> dict[tuple[int, int], Decimal]:
    """{(product id, location id): quantity ordered and not yet received} over open orders (sent or
    partly received; drafts are not placed yet, closed and cancelled ones expect nothing). One query.
    """
    lines = PurchaseOrderLine.objects.filter(
        order__status__in=PurchaseOrder.OPEN_STATUSES, quantity_received__lt=F("quantity_ordered")
    )
    if product_ids is not None:
        lines = lines.filter(product_id__in=product_ids)
    if location is not None:
        lines = lines.filter(order__location=location)
    rows = (
        lines.values("product_id", "order__location_id")
        .annotate(outstanding=Sum(F("quantity_ordered") - F("quantity_received")))
        .order_by()
    )
    return {(row["product_id"], row["order__location_id"]): row["outstanding"] for row in rows}
