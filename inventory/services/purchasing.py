"""Purchasing: orders to suppliers, sending them by email, receiving deliveries into stock.

    draft --send--> sent --receive--> partially_received --receive--> received --close--> closed
      \\--cancel--> cancelled <--cancel-- sent (nothing received yet)
    partially_received --close--> closed (the rest is no longer expected)

Every service here needs MANAGE_SUPPLIER_INVOICES (OWNER, ADMIN).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import Perm, require_perm
from inventory.emails import purchase_order_email_send
from inventory.exceptions import (
    InvalidInput,
    InvalidQuantity,
    InvalidStatus,
    OverReceipt,
    StockNotTracked,
    SupplierEmailMissing,
    quantity_text,
)
from inventory.models import Location, Product, PurchaseOrder, PurchaseOrderLine, StockMovement, Supplier
from inventory.models.fields import ZERO
from inventory.services.common import document_number_next, money, quantity_of, unit_cost
from inventory.services.stock import StockChange, stock_lock

Status = PurchaseOrder.Status
_UNSET = object()


@dataclass(frozen=True)
class PurchaseLineInput:
    """A product to order; ``unit_cost`` defaults to the product's cost."""

    product: Product
    quantity: Decimal
    unit_cost: Decimal | None = None


@dataclass(frozen=True)
class ReceiveLineInput:
    """What arrived of one order line; ``unit_cost`` overrides the ordered cost (the invoice's)."""

    line: PurchaseOrderLine
    quantity: Decimal
    unit_cost: Decimal | None = None


def _lines_build(order: PurchaseOrder, lines: list[PurchaseLineInput]) -> list[PurchaseOrderLine]:
    if not lines:
        raise InvalidQuantity(_("Add at least one product."))
    built = []
    for line in lines:
        if not line.product.tracks_stock:
            raise StockNotTracked(line.product.name)
        cost = money(line.product.cost if line.unit_cost is None else line.unit_cost)
        if cost < 0:
            raise InvalidQuantity(_("A cost cannot be negative."))
        built.append(
            PurchaseOrderLine(
                order=order,
                product=line.product,
                quantity_ordered=quantity_of(line.quantity, product=line.product),
                unit_cost=cost,
            )
        )
    return built


def _total(lines: list[PurchaseOrderLine]) -> Decimal:
    return sum((money(line.quantity_ordered * line.unit_cost) for line in lines), ZERO)


def purchase_order_create(
    *,
    supplier: Supplier,
    location: Location,
    user,
    lines: list[PurchaseLineInput],
    expected_on: date | None = None,
    note: str = "",
    internal_note: str = "",
) -> PurchaseOrder:
    """A draft order to ``supplier``, to be delivered at ``location``. ``note`` goes to the supplier;
    ``internal_note`` stays in the workspace."""
    require_perm(user, Perm.MANAGE_SUPPLIER_INVOICES)
    if not supplier.is_active:
        raise InvalidInput(_("%(supplier)s is not active.") % {"supplier": supplier.name})
    with transaction.atomic():
        order = PurchaseOrder(
            number=0,
            supplier=supplier,
            location=location,
            expected_on=expected_on,
            note=note or "",
            internal_note=(internal_note or "")[:255],
            created_by=user,
        )
        built = _lines_build(order, lines)
        order.number = document_number_next(kind="purchase_order")
        order.total = _total(built)
        order.save()
        PurchaseOrderLine.objects.bulk_create(built)
    return order


def purchase_order_update(
    *,
    order: PurchaseOrder,
    user,
    lines: list[PurchaseLineInput] | None = None,
    expected_on=_UNSET,
    note=_UNSET,
) -> PurchaseOrder:
    """Change a draft: replace its lines, its expected date or its note."""
    require_perm(user, Perm.MANAGE_SUPPLIER_INVOICES)
    with transaction.atomic():
        order = _lock(order, Status.DRAFT)
        fields = ["updated_at"]
        if lines is not None:
            built = _lines_build(order, lines)
            order.lines.all().delete()
            PurchaseOrderLine.objects.bulk_create(built)
            order.total = _total(built)
            fields.append("total")
        if expected_on is not _UNSET:
            order.expected_on = expected_on
            fields.append("expected_on")
        if note is not _UNSET:
            order.note = note or ""
            fields.append("note")
        order.save(update_fields=fields)
    return order


def _lock(order: PurchaseOrder, *statuses: str) -> PurchaseOrder:
    order = PurchaseOrder.objects.select_for_update().select_related("supplier", "location").get(pk=order.pk)
    if order.status not in statuses:
        raise InvalidStatus(
            _("This order is %(status)s; that step is not possible now.")
            % {"status": order.get_status_display()}
        )
    return order


def purchase_order_send(*, order: PurchaseOrder, user, notify_supplier: bool = True) -> PurchaseOrder:
    """Mark a draft as sent; with ``notify_supplier`` the order is emailed to the supplier (HTML and
    text, in the workspace's language) once the transaction commits."""
    require_perm(user, Perm.MANAGE_SUPPLIER_INVOICES)
    with transaction.atomic():
        order = _lock(order, Status.DRAFT)
        if notify_supplier and not order.supplier.email:
            raise SupplierEmailMissing(order.supplier.name)
        order.status = Status.SENT
        order.sent_at = timezone.now()
        order.emailed_to = order.supplier.email if notify_supplier else ""
        order.save(update_fields=["status", "sent_at", "emailed_to", "updated_at"])
        if notify_supplier:
            schema_name = connection.schema_name
            order_id = order.pk
            # robust: a mail server that is down is logged; it does not turn the request into an error.
            transaction.on_commit(
                lambda: purchase_order_email_send(order_id=order_id, schema_name=schema_name), robust=True
            )
    return order


def purchase_order_receive(
    *, order: PurchaseOrder, user, lines: list[ReceiveLineInput] | None = None
) -> PurchaseOrder:
    """Receive a delivery: what arrived (``lines``; all that is outstanding when None) posts as
    receipts at the order's location, valued at the order's (or the given) cost into the moving
    average. The order becomes partially received or received. More than was ordered is refused."""
    require_perm(user, Perm.MANAGE_SUPPLIER_INVOICES)
    with transaction.atomic():
        order = _lock(order, *PurchaseOrder.OPEN_STATUSES)
        order_lines = {line.pk: line for line in order.lines.select_related("product").order_by("pk")}
        arriving: dict[int, list] = {}  # line id -> [quantity, value]
        if lines is None:
            for line in order_lines.values():
                if line.quantity_outstanding > 0:
                    arriving[line.pk] = [
                        line.quantity_outstanding,
                        line.quantity_outstanding * line.unit_cost,
                    ]
        else:
            for item in lines:
                line = order_lines.get(item.line.pk)
                if line is None:
                    raise InvalidInput(_("That line is not part of this order."))
                quantity = quantity_of(item.quantity, product=line.product)
                cost = money(line.unit_cost if item.unit_cost is None else item.unit_cost)
                if cost < 0:
                    raise InvalidQuantity(_("A cost cannot be negative."))
                entry = arriving.setdefault(line.pk, [ZERO, ZERO])
                entry[0] += quantity
                entry[1] += quantity * cost
        if not arriving:
            raise InvalidQuantity(_("Nothing is left to receive on this order."))
        for line_id, (quantity, _value) in arriving.items():
            line = order_lines[line_id]
            if quantity > line.quantity_outstanding:
                raise OverReceipt(
                    _("Only %(left)s of %(product)s are still to come on this order.")
                    % {"left": quantity_text(line.quantity_outstanding), "product": line.product.name}
                )
        changes = [
            StockChange(order_lines[line_id].product, order.location, quantity, unit_cost(value / quantity))
            for line_id, (quantity, value) in sorted(arriving.items())
        ]
        locked = stock_lock(places=[(change.product, change.location) for change in changes])
        PurchaseOrderLine.objects.bulk_update(
            [
                PurchaseOrderLine(pk=line_id, quantity_received=F("quantity_received") + quantity)
                for line_id, (quantity, _value) in arriving.items()
            ],
            ["quantity_received"],
        )
        complete = all(
            line.quantity_received + arriving.get(line.pk, [ZERO])[0] >= line.quantity_ordered
            for line in order_lines.values()
        )
        now = timezone.now()
        order.status = Status.RECEIVED if complete else Status.PARTIALLY_RECEIVED
        order.received_at = now if complete else None
        order.save(update_fields=["status", "received_at", "updated_at"])
        locked.post(
            kind=StockMovement.Kind.RECEIPT,
            changes=changes,
            user=user,
            purchase_order=order,
            at=now,
            refresh_product_cost=True,
        )
    return order


def purchase_order_close(*, order: PurchaseOrder, user) -> PurchaseOrder:
    """Close a received or partly received order: whatever did not arrive is no longer expected."""
    require_perm(user, Perm.MANAGE_SUPPLIER_INVOICES)
    with transaction.atomic():
        order = _lock(order, Status.PARTIALLY_RECEIVED, Status.RECEIVED)
        order.status = Status.CLOSED
        order.closed_at = timezone.now()
        order.save(update_fields=["status", "closed_at", "updated_at"])
    return order


def purchase_order_cancel(*, order: PurchaseOrder, user) -> PurchaseOrder:
    """Cancel an order before anything of it arrived (draft or sent)."""
    require_perm(user, Perm.MANAGE_SUPPLIER_INVOICES)
    with transaction.atomic():
        order = _lock(order, Status.DRAFT, Status.SENT)
        order.status = Status.CANCELLED
        order.cancelled_at = timezone.now()
        order.save(update_fields=["status", "cancelled_at", "updated_at"])
    return order
