"""Reads of the orders app: the menu the ordering page shows, the board, one order, the figures."""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Max, Q, QuerySet, Sum
from django.utils import timezone

from accounts.permissions import Perm, require_perm
from core.http import BIGINT_MAX
from inventory import hours
from inventory.dates import day_start, month_start, workspace_timezone, workspace_today
from inventory.models import Location, Product, StockLevel
from inventory.models.fields import ZERO
from orders.exceptions import OrderNotFound
from orders.models import COLLECTION_PROVIDERS, MenuItem, Order, OrderLine, OrderSettings

# What secrets.token_urlsafe writes: anything else is no token of ours (and never reaches SQL).
TOKEN_CHARACTERS = re.compile(r"[A-Za-z0-9_-]+")


def order_settings_get() -> OrderSettings:
    settings, _created = OrderSettings.objects.get_or_create(id=1)
    return settings


def ordering_locations() -> QuerySet[Location]:
    """Where buyers may order: active stores and branches (warehouses sell nothing)."""
    return Location.objects.filter(is_active=True).exclude(kind=Location.Kind.WAREHOUSE).order_by("name")


@dataclass(frozen=True)
class MenuEntry:
    product: Product
    always_available: bool
    available: Decimal | None  # None: always available

    @property
    def sold_out(self) -> bool:
        return self.available is not None and self.available <= 0


def menu_for(location: Location) -> list[MenuEntry]:
    """The orderable products with what is left at ``location`` after what orders hold. Two queries."""
    items = list(
        MenuItem.objects.filter(product__is_active=True).select_related("product", "product__category")
    )
    levels = {
        product_id: on_hand - reserved
        for product_id, on_hand, reserved in StockLevel.objects.filter(
            location=location, product_id__in=[item.product_id for item in items]
        ).values_list("product_id", "on_hand", "reserved")
    }
    entries = []
    for item in items:
        free = item.always_available or not item.product.tracks_stock
        entries.append(
            MenuEntry(
                product=item.product,
                always_available=free,
                available=None if free else max(levels.get(item.product_id, ZERO), ZERO),
            )
        )
    return entries


def menu_product_ids() -> set[int]:
    return set(MenuItem.objects.values_list("product_id", flat=True))


def menu_settings_rows() -> list[tuple[Product, MenuItem | None]]:
    """Every active product with its menu entry (None when not orderable), for the settings screen."""
    items = {item.product_id: item for item in MenuItem.objects.all()}
    return [
        (product, items.get(product.pk))
        for product in Product.objects.filter(is_active=True).order_by("name")
    ]


@dataclass(frozen=True)
class NextOpening:
    weekday: int
    opens: object  # datetime.time


def next_opening(location: Location, at: datetime | None = None) -> datetime | None:
    """When the location opens next (local time), within a week; None when no hours are set."""
    intervals = hours.week(location)
    if not intervals:
        return None
    tz = workspace_timezone()
    local = timezone.localtime(at or timezone.now(), tz)
    for offset in range(8):
        day = local.date() + timedelta(days=offset)
        for interval in sorted((i for i in intervals if i.weekday == day.weekday()), key=lambda i: i.opens):
            moment = datetime.combine(day, interval.opens, tzinfo=tz)
            if moment > local:
                return moment
    return None


def _as_id(value) -> int | None:
    text = str(value or "").strip()
    if not text.isascii() or not text.isdigit() or not 0 < int(text) <= BIGINT_MAX:
        return None
    return int(text)


def order_get(*, order_id, user) -> Order:
    """One order of this workspace for a member who works the board; OrderNotFound otherwise."""
    require_perm(user, Perm.WORK_ORDERS)
    pk = _as_id(order_id)
    order = (
        Order.objects.select_related("location", "customer", "sale")
        .prefetch_related("lines")
        .filter(pk=pk)
        .first()
        if pk
        else None
    )
    if order is None:
        raise OrderNotFound()
    return order


def order_by_token(token: str) -> Order | None:
    """The buyer's own order, found by the unguessable token of its status link."""
    token = (token or "").strip()
    if not token or len(token) > 64 or not TOKEN_CHARACTERS.fullmatch(token):
        return None
    return Order.objects.select_related("location").prefetch_related("lines").filter(token=token).first()


def order_list(*, user, status: str = "", location: Location | None = None) -> QuerySet[Order]:
    require_perm(user, Perm.WORK_ORDERS)
    orders = Order.objects.select_related("location").prefetch_related("lines").order_by("-created_at")
    if status:
        orders = orders.filter(status=status)
    if location is not None:
        orders = orders.filter(location=location)
    return orders


def board_orders(*, user, location: Location | None = None) -> dict[str, list[Order]]:
    """The board: open orders by status (oldest first), and today's delivered or cancelled ones."""
    require_perm(user, Perm.WORK_ORDERS)
    today_start = day_start(workspace_today())
    orders = (
        Order.objects.filter(Q(status__in=Order.OPEN_STATUSES) | Q(updated_at__gte=today_start))
        .select_related("location")
        .prefetch_related("lines")
        .order_by("created_at")
    )
    if location is not None:
        orders = orders.filter(location=location)
    columns: dict[str, list[Order]] = {status: [] for status in Order.Status.values}
    for order in orders:
        columns[order.status].append(order)
    columns[Order.Status.DELIVERED] = columns[Order.Status.DELIVERED][-10:][::-1]
    columns[Order.Status.CANCELLED] = columns[Order.Status.CANCELLED][-10:][::-1]
    return columns


def board_version(*, location: Location | None = None) -> str:
    """Changes whenever an order is placed or moves: the board's poll compares it. One query."""
    orders = Order.objects.all()
    if location is not None:
        orders = orders.filter(location=location)
    row = orders.aggregate(last=Max("updated_at"), count=Count("id"))
    last = row["last"].isoformat() if row["last"] else "-"
    return f"{row['count']}:{last}"


@dataclass(frozen=True)
class OrderFigures:
    days: int
    orders: int
    orders_per_day: Decimal
    average_ticket: Decimal | None
    minutes_accepted_to_ready: Decimal | None
    paid_online_share: Decimal | None  # 0..100
    top_products: list[tuple[str, Decimal]]


def order_figures(
    *, days: int = 30, location: Location | None = None, today: date | None = None
) -> OrderFigures:
    """The last ``days`` days of orders (cancelled ones left out): per day, average ticket, minutes
    from accepted to ready, share paid online, the five products ordered most. Three queries."""
    today = today or workspace_today()
    since = day_start(today - timedelta(days=days - 1))
    orders = Order.objects.filter(created_at__gte=since).exclude(status=Order.Status.CANCELLED)
    if location is not None:
        orders = orders.filter(location=location)
    to_ready = ExpressionWrapper(F("ready_at") - F("accepted_at"), output_field=DurationField())
    row = orders.aggregate(
        count=Count("id"),
        total=Sum("total"),
        ready=Avg(to_ready, filter=Q(ready_at__isnull=False, accepted_at__isnull=False)),
        paid=Count("id", filter=Q(payment_status=Order.PaymentStatus.PAID)),
        online=Count(
            "id",
            filter=Q(payment_status=Order.PaymentStatus.PAID) & ~Q(payment_provider__in=COLLECTION_PROVIDERS),
        ),
    )
    count = row["count"] or 0
    top = list(
        OrderLine.objects.filter(order__in=orders)
        .values("description")
        .annotate(quantity=Sum("quantity"))
        .order_by("-quantity", "description")[:5]
        .values_list("description", "quantity")
    )
    return OrderFigures(
        days=days,
        orders=count,
        orders_per_day=(Decimal(count) / days).quantize(Decimal("0.1")),
        average_ticket=(row["total"] / count).quantize(Decimal("0.01")) if count else None,
        minutes_accepted_to_ready=(
            Decimal(row["ready"].total_seconds() / 60).quantize(Decimal("0.1")) if row["ready"] else None
        ),
        paid_online_share=(Decimal(100 * row["online"]) / row["paid"]).quantize(Decimal("0.1"))
        if row["paid"]
        else None,
        top_products=top,
    )


def uses_orders() -> bool:
    """The business takes orders: something is on its menu or an order was ever placed."""
    return MenuItem.objects.exists() or Order.objects.exists()


def online_orders_this_month() -> int:
    return Order.objects.filter(
        source=Order.Source.ONLINE, created_at__gte=month_start(workspace_timezone())
    ).count()
