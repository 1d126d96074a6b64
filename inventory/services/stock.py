"""The stock ledger and the services that move stock: receipts, adjustments, transfers, counts.

Every change of on-hand goes through ``stock_lock(...).post(...)``, as Saleor's allocate_stocks:

1. a share lock on the workspace's InventorySettings row (so the negative-stock setting cannot
   change under a running operation),
2. the StockLevel rows of the (product, location) pairs involved, created when missing and then
   locked with SELECT ... FOR UPDATE ordered by (product id, location id) (a stable order, so two
   operations never wait on each other in a circle),
3. the availability check against the locked quantities (InsufficientStock, nothing written),
4. one UPDATE of all levels with ``on_hand = on_hand + delta`` (F expressions) and one INSERT of all
   movements.

Lock order across the app: document rows (sale, quote, order...) first, then stock levels, then
document counters. Products that hold no stock (services, class packages) are skipped: they make
no levels and no movements.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import reduce
from operator import or_

from django.db import IntegrityError, connection, transaction
from django.db.models import DecimalField, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import Perm, require_perm
from audit.models import AuditEvent
from audit.services import audit_record
from inventory.exceptions import (
    InactiveObject,
    InsufficientStock,
    InvalidInput,
    InvalidQuantity,
    InvalidStatus,
    NegativeStockExists,
    Shortage,
    StockNotTracked,
)
from inventory.models import (
    InventorySettings,
    Location,
    Product,
    StockCount,
    StockCountLine,
    StockLevel,
    StockMovement,
    Transfer,
    TransferLine,
)
from inventory.models.fields import ZERO
from inventory.services.common import document_number_next, quantity_of, reason_of, unit_cost

Kind = StockMovement.Kind


@dataclass(frozen=True)
class StockChange:
    """One signed change of a product's stock at a location.

    ``unit_cost`` values incoming stock (receipts, transfers in, returns): the level's moving
    average takes it in. Without it the average is left as it is.
    """

    product: Product
    location: Location
    quantity: Decimal
    unit_cost: Decimal | None = None


def _negative_stock_allowed() -> bool:
    """The workspace's setting, read under FOR SHARE until the transaction ends.

    inventory_settings_update takes FOR UPDATE on the same row, so it waits for running stock
    operations and they wait for it: a level is never written with a stale ``allow_negative``.
    """
    table = connection.ops.quote_name(InventorySettings._meta.db_table)
    sql = f"SELECT allow_negative_stock FROM {table} WHERE id = 1 FOR SHARE"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
        if row is None:
            InventorySettings.objects.bulk_create([InventorySettings(id=1)], ignore_conflicts=True)
            cursor.execute(sql)
            row = cursor.fetchone()
    return bool(row[0])


def _places_condition(keys: Iterable[tuple[int, int]]) -> Q:
    by_location: dict[int, list[int]] = defaultdict(list)
    for product_id, location_id in keys:
        by_location[location_id].append(product_id)
    return reduce(
        or_,
        (Q(location_id=location_id, product_id__in=ids) for location_id, ids in sorted(by_location.items())),
    )


class LockedStock:
    """Stock levels locked FOR UPDATE until the surrounding transaction ends (see stock_lock).

    Reading quantities from it is safe (nobody else can change them); writes go through ``post``.
    """

    def __init__(self, levels: dict[tuple[int, int], StockLevel], allow_negative: bool):
        self._levels = levels
        self.allow_negative = allow_negative

    def _level(self, product: Product, location: Location) -> StockLevel:
        try:
            return self._levels[(product.pk, location.pk)]
        except KeyError:
            raise RuntimeError(
                f"stock of product {product.pk} at location {location.pk} is not locked"
            ) from None

    def on_hand(self, product: Product, location: Location) -> Decimal:
        return self._level(product, location).on_hand

    def average_cost(self, product: Product, location: Location) -> Decimal:
        return self._level(product, location).average_cost

    def shortages(self, changes: Iterable[StockChange]) -> list[Shortage]:
        """What the changes would take below zero, product by product (empty when all is there)."""
        if self.allow_negative:
            return []
        deltas: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
        places = {}
        for change in changes:
            if change.product.tracks_stock and change.quantity:
                key = (change.product.pk, change.location.pk)
                deltas[key] += change.quantity
                places[key] = (change.product, change.location)
        shortages = []
        for key in sorted(deltas):
            product, location = places[key]
            on_hand = self.on_hand(product, location)
            if deltas[key] < 0 and on_hand + deltas[key] < 0:
                shortages.append(
                    Shortage(
                        product=product,
                        location=location,
                        requested=-deltas[key],
                        available=max(on_hand, ZERO),
                    )
                )
        return shortages

    def check(self, changes: Iterable[StockChange]) -> None:
        """Raise InsufficientStock, naming every short product, when the changes cannot all be made."""
        shortages = self.shortages(changes)
        if shortages:
            raise InsufficientStock(shortages)

    def post(
        self,
        *,
        kind: str,
        changes: Iterable[StockChange],
        user,
        reason: str = "",
        at: datetime | None = None,
        refresh_product_cost: bool = False,
        **documents,
    ) -> list[StockMovement]:
        """Apply the changes: one movement each, one UPDATE of the levels, one INSERT of movements.

        ``documents`` are the movement's document keys (sale=, sale_return=, purchase_order=,
        transfer=, stock_count=). ``refresh_product_cost`` (receipts) moves Product.cost to the
        product's moving average across all locations.
        """
        changes = [change for change in changes if change.product.tracks_stock and change.quantity]
        if not changes:
            return []
        self.check(changes)
        at = at or timezone.now()
        user = user if getattr(user, "is_authenticated", False) else None

        deltas: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
        incoming: dict[tuple[int, int], list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])  # quantity, value
        movements = []
        for change in changes:
            level = self._level(change.product, change.location)
            key = (change.product.pk, change.location.pk)
            deltas[key] += change.quantity
            costed = change.quantity > 0 and change.unit_cost is not None
            if costed:
                incoming[key][0] += change.quantity
                incoming[key][1] += change.quantity * change.unit_cost
            movements.append(
                StockMovement(
                    product=change.product,
                    location=change.location,
                    kind=kind,
                    quantity=change.quantity,
                    unit_cost=change.unit_cost if costed else level.average_cost,
                    user=user,
                    created_at=at,
                    reason=reason,
                    **documents,
                )
            )

        writes = []  # (id, delta, average cost)
        for key, delta in deltas.items():
            level = self._levels[key]
            average = level.average_cost
            if key in incoming:
                quantity_in, value_in = incoming[key]
                # Moving average over the stock really there: a negative on-hand counts as none.
                base = max(level.on_hand, ZERO)
                average = unit_cost((base * level.average_cost + value_in) / (base + quantity_in))
            writes.append((level.pk, delta, average))
            level.on_hand += delta  # what the row now holds: it is ours until commit
            level.average_cost = average
        _levels_update(writes, allow_negative=self.allow_negative, at=at)
        created = StockMovement.objects.bulk_create(movements)
        if refresh_product_cost and incoming:
            _product_costs_refresh(product_ids=sorted({key[0] for key in incoming}))
        return created

    def reserved(self, product: Product, location: Location) -> Decimal:
        return self._level(product, location).reserved

    def available(self, product: Product, location: Location) -> Decimal:
        """On hand less what accepted orders hold."""
        level = self._level(product, location)
        return level.on_hand - level.reserved

    def reserve(self, changes: Iterable[StockChange]) -> None:
        """Hold ``quantity`` of each change for an order (positive quantities), or release it
        (negative). Raises InsufficientStock, nothing written, when a hold passes what is available
        (on hand less held), whatever the negative-stock setting: a promise needs the goods."""
        deltas: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
        places = {}
        for change in changes:
            if change.product.tracks_stock and change.quantity:
                key = (change.product.pk, change.location.pk)
                deltas[key] += change.quantity
                places[key] = (change.product, change.location)
        shortages = []
        for key in sorted(deltas):
            product, location = places[key]
            available = self.available(product, location)
            if deltas[key] > 0 and deltas[key] > available:
                shortages.append(
                    Shortage(
                        product=product,
                        location=location,
                        requested=deltas[key],
                        available=max(available, ZERO),
                    )
                )
        if shortages:
            raise InsufficientStock(shortages)
        writes = []
        for key, delta in deltas.items():
            level = self._levels[key]
            # A release never takes the hold below zero (a level counted down in between).
            new = max(level.reserved + delta, ZERO)
            writes.append(StockLevel(pk=level.pk, reserved=new))
            level.reserved = new
        if writes:
            StockLevel.objects.bulk_update(writes, ["reserved"])


def _levels_update(writes: list[tuple[int, Decimal, Decimal]], *, allow_negative: bool, at: datetime) -> None:
    """One UPDATE of the locked levels: ``on_hand = on_hand + delta`` in SQL (what F() writes),
    joined to a VALUES list. Django's bulk_update builds a CASE per column and row, which the sale's
    profile showed costing more Python time than the statement itself."""
    table = connection.ops.quote_name(StockLevel._meta.db_table)
    rows = ", ".join(["(%s::bigint, %s::numeric, %s::numeric)"] * len(writes))
    params = [value for write in writes for value in write]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS level SET on_hand = level.on_hand + v.delta, average_cost = v.average, "
            f"allow_negative = %s, updated_at = %s FROM (VALUES {rows}) AS v(id, delta, average) "
            "WHERE level.id = v.id",
            [allow_negative, at, *params],
        )


def stock_lock(*, places: Iterable[tuple[Product, Location]]) -> LockedStock:
    """Lock the stock levels of (product, location) pairs for the rest of the transaction.

    Missing levels are created first (in the same stable order, so two first sales of a new
    product do not deadlock). Must run inside ``transaction.atomic()``.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("stock_lock() must run inside transaction.atomic()")
    allow_negative = _negative_stock_allowed()
    products: dict[int, Product] = {}
    keys = set()
    for product, location in places:
        if product.tracks_stock:
            keys.add((product.pk, location.pk))
            products[product.pk] = product
    if not keys:
        return LockedStock({}, allow_negative)
    condition = _places_condition(keys)
    existing = set(StockLevel.objects.filter(condition).values_list("product_id", "location_id"))
    missing = sorted(keys - existing)
    if missing:
        StockLevel.objects.bulk_create(
            [
                StockLevel(
                    product_id=product_id,
                    location_id=location_id,
                    average_cost=products[product_id].cost,
                    allow_negative=allow_negative,
                )
                for product_id, location_id in missing
            ],
            ignore_conflicts=True,
        )
    levels = StockLevel.objects.select_for_update().filter(condition).order_by("product_id", "location_id")
    return LockedStock({(level.product_id, level.location_id): level for level in levels}, allow_negative)


def stock_reserve(*, changes: list[StockChange]) -> None:
    """Hold (positive quantities) or release (negative) stock for customer orders, under the
    levels' row locks. Part of the caller's transaction (the order's status change)."""
    with transaction.atomic():
        locked = stock_lock(places=[(change.product, change.location) for change in changes])
        locked.reserve(changes)


def _product_costs_refresh(*, product_ids: list[int]) -> None:
    """Product.cost := the moving average of the product's positive stock across locations."""
    # Lock in id order (FOR NO KEY UPDATE does not block movements that reference the product).
    list(
        Product.objects.select_for_update(no_key=True).filter(pk__in=product_ids).order_by("pk").values("pk")
    )
    average = (
        StockLevel.objects.filter(product=OuterRef("pk"), on_hand__gt=0)
        .values("product")
        .annotate(value=Sum(F("on_hand") * F("average_cost")) / Sum("on_hand"))
        .values("value")
    )
    Product.objects.filter(pk__in=product_ids).update(
        cost=Coalesce(Subquery(average, output_field=DecimalField()), F("cost"))
    )


def stock_movements_post(
    *, kind: str, changes: list[StockChange], user, reason: str = "", **documents
) -> list[StockMovement]:
    """Lock and post in one step, for callers that need nothing else under the same locks."""
    with transaction.atomic():
        locked = stock_lock(places=[(change.product, change.location) for change in changes])
        return locked.post(kind=kind, changes=changes, user=user, reason=reason, **documents)


def _tracked(product: Product) -> Product:
    if not product.tracks_stock:
        raise StockNotTracked(product.name)
    return product


def _active_location(location: Location) -> Location:
    if not location.is_active:
        raise InactiveObject(_("%(location)s is not active.") % {"location": location.name})
    return location


# --- Receipts and adjustments ------------------------------------------------------------------


def stock_receive(
    *,
    product: Product,
    location: Location,
    quantity: Decimal,
    user,
    unit_cost: Decimal | None = None,
    reason: str = "",
    occurred_at: datetime | None = None,
) -> StockMovement:
    """Receive stock without a purchase order (opening stock, a direct delivery).

    Valued at ``unit_cost`` (the product's cost when not given) into the moving average.
    ``occurred_at`` dates an imported opening balance; screens leave it out.
    """
    require_perm(user, Perm.MANAGE_STOCK)
    _tracked(product)
    quantity = quantity_of(quantity, product=product)
    cost = _unit_cost_of(product, unit_cost)
    with transaction.atomic():
        locked = stock_lock(places=[(product, location)])
        (movement,) = locked.post(
            kind=Kind.RECEIPT,
            changes=[StockChange(product, location, quantity, cost)],
            user=user,
            reason=(reason or "").strip()[:255],
            refresh_product_cost=True,
            at=occurred_at,
        )
    return movement


def _unit_cost_of(product: Product, value) -> Decimal:
    cost = unit_cost(product.cost if value is None else value)
    if cost < 0:
        raise InvalidQuantity(_("A cost cannot be negative."))
    return cost


def stock_adjust(
    *, product: Product, location: Location, quantity: Decimal, reason: str, user, request=None
) -> StockMovement:
    """Add (positive ``quantity``) or remove (negative) stock for a stated reason: breakage,
    theft, a gift... Audited."""
    require_perm(user, Perm.MANAGE_STOCK)
    _tracked(product)
    reason = reason_of(reason)
    quantity = quantity_of(quantity, product=product, allow_negative=True)
    with transaction.atomic():
        locked = stock_lock(places=[(product, location)])
        (movement,) = locked.post(
            kind=Kind.ADJUSTMENT, changes=[StockChange(product, location, quantity)], user=user, reason=reason
        )
        audit_record(
            action=AuditEvent.Action.STOCK_ADJUSTED,
            actor=user,
            target=str(product),
            request=request,
            data={"location": location.name, "quantity": str(quantity), "reason": reason},
        )
    return movement


# --- Transfers -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TransferLineInput:
    product: Product
    quantity: Decimal


def transfer_send(
    *,
    origin: Location,
    destination: Location,
    lines: list[TransferLineInput],
    user,
    note: str = "",
) -> Transfer:
    """Send stock from ``origin`` to ``destination``: it leaves the origin now (transfer out, at the
    origin's average cost) and is in transit until ``transfer_receive``."""
    require_perm(user, Perm.MANAGE_STOCK)
    if origin.pk == destination.pk:
        raise InvalidInput(_("Choose two different locations."))
    _active_location(origin)
    _active_location(destination)
    if not lines:
        raise InvalidQuantity(_("Add at least one product."))
    changes = [
        StockChange(_tracked(line.product), origin, -quantity_of(line.quantity, product=line.product))
        for line in lines
    ]
    with transaction.atomic():
        locked = stock_lock(places=[(change.product, origin) for change in changes])
        locked.check(changes)
        transfer = Transfer.objects.create(
            number=document_number_next(kind="transfer"),
            origin=origin,
            destination=destination,
            note=(note or "").strip()[:255],
            sent_by=user,
        )
        TransferLine.objects.bulk_create(
            [
                TransferLine(
                    transfer=transfer,
                    product=change.product,
                    quantity=-change.quantity,
                    unit_cost=locked.average_cost(change.product, origin),
                )
                for change in changes
            ]
        )
        locked.post(
            kind=Kind.TRANSFER_OUT, changes=changes, user=user, transfer=transfer, at=transfer.sent_at
        )
    return transfer


def transfer_receive(*, transfer: Transfer, user) -> Transfer:
    """Receive a transfer in transit at its destination (transfer in, valued at the cost it left at)."""
    require_perm(user, Perm.MANAGE_STOCK)
    with transaction.atomic():
        transfer = Transfer.objects.select_for_update().select_related("destination").get(pk=transfer.pk)
        if transfer.status != Transfer.Status.SENT:
            raise InvalidStatus(_("This transfer was already received."))
        lines = list(transfer.lines.select_related("product").order_by("pk"))
        changes = [
            StockChange(line.product, transfer.destination, line.quantity, line.unit_cost) for line in lines
        ]
        locked = stock_lock(places=[(change.product, change.location) for change in changes])
        transfer.status = Transfer.Status.RECEIVED
        transfer.received_by = user
        transfer.received_at = timezone.now()
        transfer.save(update_fields=["status", "received_by", "received_at", "updated_at"])
        locked.post(
            kind=Kind.TRANSFER_IN, changes=changes, user=user, transfer=transfer, at=transfer.received_at
        )
    return transfer


# --- Stock counts ----------------------------------------------------------------------------------


def stock_count_create(
    *, location: Location, user, products: Iterable[Product] | None = None, note: str = ""
) -> StockCount:
    """Open a count sheet for a location, with a line for each product to count (every active
    product that holds stock when ``products`` is not given). Lines start uncounted."""
    require_perm(user, Perm.MANAGE_STOCK)
    _active_location(location)
    if products is None:
        products = Product.objects.filter(is_active=True, tracks_stock=True).order_by("pk")
    products = [_tracked(product) for product in products]
    try:
        with transaction.atomic():
            count = StockCount.objects.create(
                number=document_number_next(kind="stock_count"),
                location=location,
                note=(note or "").strip()[:255],
                created_by=user,
            )
            StockCountLine.objects.bulk_create(
                [
                    StockCountLine(stock_count=count, product=product)
                    for product in {p.pk: p for p in products}.values()
                ]
            )
    except IntegrityError as error:
        if StockCount.objects.filter(location=location, status=StockCount.Status.DRAFT).exists():
            raise InvalidStatus(
                _("A count of %(location)s is already open; post or cancel it first.")
                % {"location": location.name}
            ) from error
        raise
    return count


def _draft_count_lock(stock_count: StockCount) -> StockCount:
    count = StockCount.objects.select_for_update().select_related("location").get(pk=stock_count.pk)
    if count.status != StockCount.Status.DRAFT:
        raise InvalidStatus(_("This count is closed."))
    return count


def stock_count_line_set(
    *, stock_count: StockCount, product: Product, counted_quantity: Decimal | None, user
) -> StockCountLine:
    """Write down how much of ``product`` was counted (None: not counted). Adds the product to the
    sheet when it is not on it."""
    require_perm(user, Perm.MANAGE_STOCK)
    _tracked(product)
    counted = None
    if counted_quantity is not None:
        counted = quantity_of(counted_quantity, product=product, allow_zero=True)
    with transaction.atomic():
        count = _draft_count_lock(stock_count)
        line, _created = StockCountLine.objects.update_or_create(
            stock_count=count, product=product, defaults={"counted_quantity": counted}
        )
    return line


def stock_count_post(*, stock_count: StockCount, user, request=None) -> StockCount:
    """Post a count: each counted line's difference from the ledger at this moment becomes a
    count-correction movement (lines not counted are left alone). Audited."""
    require_perm(user, Perm.MANAGE_STOCK)
    with transaction.atomic():
        count = _draft_count_lock(stock_count)
        lines = list(
            count.lines.filter(counted_quantity__isnull=False)
            .select_related("product")
            .order_by("product_id")
        )
        if not lines:
            raise InvalidQuantity(_("Count at least one product before posting."))
        location = count.location
        locked = stock_lock(places=[(line.product, location) for line in lines])
        changes = []
        for line in lines:
            line.expected_quantity = locked.on_hand(line.product, location)
            line.difference = line.counted_quantity - line.expected_quantity
            if line.difference:
                changes.append(StockChange(line.product, location, line.difference))
        StockCountLine.objects.bulk_update(lines, ["expected_quantity", "difference"])
        count.status = StockCount.Status.POSTED
        count.posted_by = user
        count.posted_at = timezone.now()
        count.save(update_fields=["status", "posted_by", "posted_at", "updated_at"])
        locked.post(
            kind=Kind.COUNT_CORRECTION,
            changes=changes,
            user=user,
            reason=count.note,
            stock_count=count,
            at=count.posted_at,
        )
        audit_record(
            action=AuditEvent.Action.STOCK_COUNTED,
            actor=user,
            target=str(count),
            request=request,
            data={
                "location": location.name,
                "lines": len(lines),
                "corrections": [
                    {
                        "sku": line.product.sku,
                        "expected": str(line.expected_quantity),
                        "counted": str(line.counted_quantity),
                    }
                    for line in lines
                    if line.difference
                ],
            },
        )
    return count


def stock_count_cancel(*, stock_count: StockCount, user) -> StockCount:
    require_perm(user, Perm.MANAGE_STOCK)
    with transaction.atomic():
        count = _draft_count_lock(stock_count)
        count.status = StockCount.Status.CANCELLED
        count.save(update_fields=["status", "updated_at"])
    return count


# --- Settings ------------------------------------------------------------------------------------


def inventory_settings_update(*, user, allow_negative_stock: bool, request=None) -> InventorySettings:
    """Switch negative stock on or off for the workspace (OWNER: MANAGE_SETTINGS). Audited.

    Rewrites the ``allow_negative`` copy on every stock level under an exclusive lock on the
    settings row; switching off is refused while any level is below zero.
    """
    require_perm(user, Perm.MANAGE_SETTINGS)
    with transaction.atomic():
        InventorySettings.objects.bulk_create([InventorySettings(id=1)], ignore_conflicts=True)
        settings_row = InventorySettings.objects.select_for_update().get(id=1)
        if settings_row.allow_negative_stock == allow_negative_stock:
            return settings_row
        if not allow_negative_stock:
            below_zero = list(
                StockLevel.objects.filter(on_hand__lt=0)
                .order_by("product__name")
                .values_list("product__name", flat=True)
                .distinct()[:10]
            )
            if below_zero:
                raise NegativeStockExists(below_zero)
        StockLevel.objects.exclude(allow_negative=allow_negative_stock).update(
            allow_negative=allow_negative_stock
        )
        settings_row.allow_negative_stock = allow_negative_stock
        settings_row.save(update_fields=["allow_negative_stock", "updated_at"])
        audit_record(
            action=AuditEvent.Action.SETTINGS_CHANGED,
            actor=user,
            target=str(settings_row),
            request=request,
            data={"allow_negative_stock": allow_negative_stock},
        )
    return settings_row
