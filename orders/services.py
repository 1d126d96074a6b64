"""Writes of the orders app: placing an order, moving it across the board, its payment, and the
ordering page's settings (menu, ways to receive, a location's hours and address).

Lock order (the app-wide one): the order row, then stock levels (inventory's ledger), then
counters. Stock is held from the moment an order is placed (so two buyers are never promised the
same last unit) until it is delivered (the Sale takes it out of on-hand) or cancelled.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

from accounts.permissions import Perm, require_perm
from audit.services import audit_record
from customers.models import Customer
from customers.phones import phone_normalize
from customers.services import CustomerInput, customer_create
from inventory import hours
from inventory.dates import local_date, workspace_timezone
from inventory.models import Location, PaymentMethod, Product
from inventory.services import (
    SaleLineInput,
    StockChange,
    lines_price,
    location_update,
    sale_create,
    stock_reserve,
)
from orders import emails
from orders.exceptions import InvalidOrder, InvalidTransition, OrderingClosed
from orders.models import COLLECTION_PROVIDERS, MenuItem, Order, OrderDayCounter, OrderLine, OrderSettings
from orders.selectors import next_opening, online_orders_this_month, order_settings_get, ordering_locations
from orders.signals import order_status_changed
from tenants.limits import workspace_limit_check

Status = Order.Status

# Where each status may go next. Preparing may be skipped (a drink is ready when accepted).
TRANSITIONS: dict[str, set[str]] = {
    Status.NEW: {Status.ACCEPTED, Status.CANCELLED},
    Status.ACCEPTED: {Status.PREPARING, Status.READY, Status.CANCELLED},
    Status.PREPARING: {Status.READY, Status.CANCELLED},
    Status.READY: {Status.DELIVERED, Status.CANCELLED},
    Status.DELIVERED: set(),
    Status.CANCELLED: set(),
}


@dataclass(frozen=True)
class OrderLineInput:
    product: Product
    quantity: Decimal


def _announce(order: Order, old: str | None, new: str) -> None:
    """Tell listeners (the WhatsApp assistant) once the change is committed."""
    transaction.on_commit(
        lambda: order_status_changed.send(sender=Order, order=order, old=old, new=new), robust=True
    )


def _region() -> str:
    return getattr(getattr(connection, "tenant", None), "country", "") or "CO"


def closed_message(location: Location) -> str:
    """What a buyer reads when the location is closed: when it opens next, if hours are set."""
    opening = next_opening(location)
    if opening is None:
        return _("%(location)s is closed now.") % {"location": location.name}
    return _("%(location)s is closed now. It opens %(day)s at %(time)s.") % {
        "location": location.name,
        "day": date_format(opening, "l j F"),
        "time": time_format(opening, "H:i"),
    }


def _customer_for(*, name: str, phone: str, email: str) -> Customer | None:
    """The customer with this phone, or a new one (the buyer is a person the business serves)."""
    if not phone:
        return None
    customer = Customer.objects.filter(phone=phone, is_active=True).order_by("pk").first()
    if customer is not None:
        return customer
    return customer_create(
        data=CustomerInput(full_name=name or phone, phone=phone, email=email), allow_duplicate=True
    )


def _number_next(location: Location, day) -> int:
    """The next order number at ``location`` on ``day``, starting at 1 (the row stays locked)."""
    counters = OrderDayCounter.objects.filter(location=location, day=day)
    if not counters.update(last_number=F("last_number") + 1):
        OrderDayCounter.objects.bulk_create(
            [OrderDayCounter(location=location, day=day)], ignore_conflicts=True
        )
        counters.update(last_number=F("last_number") + 1)
    return counters.values_list("last_number", flat=True).get()


def order_place(
    *,
    location: Location,
    lines: list[OrderLineInput],
    fulfilment: str = Order.Fulfilment.PICKUP,
    customer_name: str = "",
    customer_phone: str = "",
    customer_email: str = "",
    notes: str = "",
    table: str = "",
    delivery_address: str = "",
    source: str = Order.Source.ONLINE,
    user=None,
    status_url: Callable[[Order], str] | None = None,
) -> Order:
    """Place an order: priced at today's prices, its stock held, numbered for the day and location.

    Online orders (the ordering page, no sign-in) need the page on, the location open now, a name
    and a phone, products on the menu, and a place in the plan's online orders a month. Staff (the
    board) and the API place orders for a table or the phone (WORK_ORDERS). Raises OrderingClosed,
    InvalidOrder, InsufficientStock (nothing held), PlanLimitReached, ValidationError (phone).
    The buyer's customer is found by phone or created; a confirmation email goes to ``customer_email``
    with ``status_url(order)``.
    """
    online = source == Order.Source.ONLINE
    if not online:
        require_perm(user, Perm.WORK_ORDERS)
    settings = order_settings_get()
    if not ordering_locations().filter(pk=location.pk).exists():
        raise InvalidOrder(_("This location takes no orders."))
    offered = {
        Order.Fulfilment.PICKUP: settings.offers_pickup,
        Order.Fulfilment.DELIVERY: settings.offers_delivery,
        Order.Fulfilment.TABLE: settings.offers_table,
    }
    if fulfilment not in offered:
        raise InvalidOrder(_("Choose how you get your order."))
    name = " ".join((customer_name or "").split())[:150]
    try:
        phone = phone_normalize(customer_phone, region=_region())
    except ValidationError as error:
        raise ValidationError({"customer_phone": error.messages}) from error
    email = (customer_email or "").strip().lower()[:254]
    table = (table or "").strip()[:16]
    delivery_address = " ".join((delivery_address or "").split())[:200]
    if online:
        if not settings.is_open:
            raise OrderingClosed(_("This business is not taking orders online right now."))
        if not offered[fulfilment]:
            raise InvalidOrder(_("Choose how you get your order."))
        if not hours.is_open(location):
            raise OrderingClosed(closed_message(location))
        if not name:
            raise ValidationError({"customer_name": _("Tell us your name.")})
        if not phone:
            raise ValidationError({"customer_phone": _("Tell us a phone number to reach you.")})
    if fulfilment == Order.Fulfilment.TABLE and not table:
        raise ValidationError({"table": _("Which table?")})
    if fulfilment == Order.Fulfilment.DELIVERY and not delivery_address:
        raise ValidationError({"delivery_address": _("Where do we deliver?")})
    merged: dict[int, OrderLineInput] = {}
    for line in lines:
        if line.quantity:
            previous = merged.get(line.product.pk)
            quantity = line.quantity + (previous.quantity if previous else 0)
            merged[line.product.pk] = OrderLineInput(line.product, quantity)
    if not merged:
        raise InvalidOrder(_("Add at least one product."))
    menu = {item.product_id: item for item in MenuItem.objects.filter(product_id__in=list(merged))}
    if online and set(merged) - set(menu):
        raise InvalidOrder(_("One of the products is no longer offered."))
    priced, totals = lines_price(
        lines=[SaleLineInput(product=line.product, quantity=line.quantity) for line in merged.values()]
    )
    holds = {
        line.product.pk
        for line in priced
        if line.product.tracks_stock
        and not (line.product.pk in menu and menu[line.product.pk].always_available)
    }
    with transaction.atomic():
        if online:
            # One online order counted at a time, so the month's count is exact at the limit.
            OrderSettings.objects.select_for_update().filter(id=1).exists()
            workspace_limit_check(resource="online_orders_per_month", current=online_orders_this_month())
        customer = _customer_for(name=name, phone=phone, email=email)
        stock_reserve(
            changes=[
                StockChange(line.product, location, line.quantity)
                for line in priced
                if line.product.pk in holds
            ]
        )
        now = timezone.now()
        day = local_date(now, workspace_timezone())
        order = Order.objects.create(
            location=location,
            business_date=day,
            number=_number_next(location, day),
            source=source,
            fulfilment=fulfilment,
            table=table if fulfilment == Order.Fulfilment.TABLE else "",
            delivery_address=delivery_address if fulfilment == Order.Fulfilment.DELIVERY else "",
            customer=customer,
            customer_name=name,
            customer_phone=phone,
            customer_email=email,
            notes=(notes or "").strip()[:500],
            total=totals.total,
            created_by=user if getattr(user, "is_authenticated", False) else None,
        )
        OrderLine.objects.bulk_create(
            [
                OrderLine(
                    order=order,
                    product=line.product,
                    description=line.product.name,
                    quantity=line.quantity,
                    unit_price=line.unit_price,
                    total=line.total,
                    held=line.product.pk in holds,
                )
                for line in priced
            ]
        )
        _announce(order, None, order.status)
        if email and status_url is not None:
            url = status_url(order)
            transaction.on_commit(
                lambda: emails.order_confirmation_send(order=order, status_url=url), robust=True
            )
    return order


def _release(order: Order) -> None:
    """Let go of what the order holds (inside the caller's transaction, order row locked)."""
    held = list(order.lines.filter(held=True).select_related("product"))
    if held:
        stock_reserve(changes=[StockChange(line.product, order.location, -line.quantity) for line in held])
        order.lines.filter(held=True).update(held=False)


def order_status_set(
    *, order: Order, user, to: str, reason: str = "", payment_method: str = "", request=None
) -> Order:
    """Move an order on the board (WORK_ORDERS). Delivering makes its Sale (paid on collection with
    ``payment_method``, cash by default, unless it was paid online) and lets the hold go;
    cancelling needs a reason and lets the hold go. InvalidTransition for a move the board does not
    allow (a delivered order stays delivered)."""
    require_perm(user, Perm.WORK_ORDERS)
    if to not in Status.values:
        raise InvalidTransition(_("Choose a status."))
    reason = " ".join((reason or "").split())[:255]
    if to == Status.CANCELLED and not reason:
        raise InvalidOrder(_("Say why the order is cancelled."))
    with transaction.atomic():
        order = Order.objects.select_for_update().select_related("location").get(pk=order.pk)
        old = order.status
        if to not in TRANSITIONS[old]:
            raise InvalidTransition(
                _("Order %(number)s is %(status)s and cannot be moved to %(to)s.")
                % {"number": order.number, "status": order.get_status_display(), "to": Status(to).label}
            )
        now = timezone.now()
        fields = ["status", "updated_at"]
        if to == Status.ACCEPTED:
            order.accepted_at = now
            fields.append("accepted_at")
        elif to == Status.READY:
            order.ready_at = now
            fields.append("ready_at")
            if order.accepted_at is None:
                order.accepted_at = now
                fields.append("accepted_at")
        elif to == Status.CANCELLED:
            _release(order)
            order.cancelled_at = now
            order.cancel_reason = reason
            fields += ["cancelled_at", "cancel_reason"]
            audit_record(
                action="order.cancelled",
                actor=user,
                request=request,
                target=str(order),
                data={"order_id": order.pk, "reason": reason},
            )
        elif to == Status.DELIVERED:
            order.sale = _deliver(order, user=user, payment_method=payment_method, now=now)
            order.delivered_at = now
            fields += ["sale", "delivered_at", "payment_status", "payment_provider", "paid_amount", "paid_at"]
        order.status = to
        order.save(update_fields=fields)
        _announce(order, old, to)
    return order


def _deliver(order: Order, *, user, payment_method: str, now):
    """The order's one Sale (the record of money in) and the end of its hold."""
    lines = list(order.lines.select_related("product").order_by("pk"))
    _release(order)
    if (
        order.payment_status == Order.PaymentStatus.PAID
        and order.payment_provider not in COLLECTION_PROVIDERS
    ):
        method = PaymentMethod.OTHER  # paid online: the provider holds the money
        note = _("Order %(number)s, paid online (%(provider)s %(reference)s)") % {
            "number": order.number,
            "provider": order.payment_provider,
            "reference": order.payment_reference,
        }
    else:
        method = payment_method or order.payment_provider or PaymentMethod.CASH
        if method not in PaymentMethod.values:
            raise InvalidOrder(_("Choose a payment method."))
        note = _("Order %(number)s") % {"number": order.number}
        order.payment_status = Order.PaymentStatus.PAID
        order.payment_provider = method
        order.paid_amount = order.total
        order.paid_at = now
    return sale_create(
        location=order.location,
        seller=user,
        lines=[
            SaleLineInput(product=line.product, quantity=line.quantity, unit_price=line.unit_price)
            for line in lines
        ],
        payment_method=method,
        customer_name=order.customer_name,
        note=f"{note}"[:255],
    )


# --- The payment seam (the payments app's notification handler calls these) ----------------------


def order_payment_pending(*, order: Order, provider: str, reference: str = "") -> Order:
    """The buyer went to the provider's checkout: shown as "payment pending" until it answers."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.payment_status == Order.PaymentStatus.UNPAID:
            order.payment_status = Order.PaymentStatus.PENDING
            order.payment_provider = provider[:32]
            order.payment_reference = reference[:100]
            order.save(
                update_fields=["payment_status", "payment_provider", "payment_reference", "updated_at"]
            )
    return order


def order_mark_paid(*, order: Order, provider: str, reference: str, amount: Decimal) -> Order:
    """An approved online payment: the order is paid. Safe to call twice with the same payment
    (nothing changes). Raises InvalidOrder when ``amount`` does not cover the order (nothing
    changes: the business sees it at the provider). A cancelled order stays cancelled, paid: the
    business refunds it at the provider, and the refund comes back as order_payment_reversed."""
    amount = Decimal(amount)
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.payment_status == Order.PaymentStatus.PAID:
            return order
        if amount < order.total:
            raise InvalidOrder(
                _("The payment (%(amount)s) does not cover the order (%(total)s).")
                % {"amount": amount, "total": order.total}
            )
        order.payment_status = Order.PaymentStatus.PAID
        order.payment_provider = provider[:32]
        order.payment_reference = reference[:100]
        order.paid_amount = amount
        order.paid_at = timezone.now()
        order.save(
            update_fields=[
                "payment_status",
                "payment_provider",
                "payment_reference",
                "paid_amount",
                "paid_at",
                "updated_at",
            ]
        )
    return order


def order_payment_reversed(*, order: Order, reason: str) -> Order:
    """A refund or chargeback of the online payment: marked refunded, with the reason, on the board
    (the order itself is left where it is: staff cancel it, or collect on delivery)."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        if order.payment_status in (Order.PaymentStatus.UNPAID, Order.PaymentStatus.REFUNDED):
            return order
        order.payment_status = Order.PaymentStatus.REFUNDED
        order.payment_note = " ".join((reason or "").split())[:255]
        order.save(update_fields=["payment_status", "payment_note", "updated_at"])
    return order


# --- Settings ----------------------------------------------------------------------------------


def order_settings_update(
    *,
    user,
    is_open: bool,
    offers_pickup: bool,
    offers_delivery: bool,
    offers_table: bool,
    note_to_buyers: str = "",
    request=None,
) -> OrderSettings:
    """The ordering page's switches (MANAGE_ORDERS). At least one way to receive an order."""
    require_perm(user, Perm.MANAGE_ORDERS)
    if not (offers_pickup or offers_delivery or offers_table):
        raise ValidationError({"offers_pickup": _("Offer at least one way to receive an order.")})
    with transaction.atomic():
        settings = order_settings_get()
        settings = OrderSettings.objects.select_for_update().get(pk=settings.pk)
        settings.is_open = is_open
        settings.offers_pickup = offers_pickup
        settings.offers_delivery = offers_delivery
        settings.offers_table = offers_table
        settings.note_to_buyers = (note_to_buyers or "").strip()[:200]
        settings.save()
        audit_record(action="orders.settings_updated", actor=user, request=request, target=str(settings))
    return settings


def menu_set(*, user, entries: dict[int, bool], request=None) -> int:
    """The whole menu at once: ``{product id: always available}`` for every orderable product
    (MANAGE_ORDERS). Products not named leave the menu. Returns how many are on it."""
    require_perm(user, Perm.MANAGE_ORDERS)
    products = set(Product.objects.filter(pk__in=list(entries), is_active=True).values_list("pk", flat=True))
    with transaction.atomic():
        MenuItem.objects.exclude(product_id__in=products).delete()
        existing = {item.product_id: item for item in MenuItem.objects.select_for_update()}
        for product_id in sorted(products):
            item = existing.get(product_id)
            if item is None:
                MenuItem.objects.create(product_id=product_id, always_available=entries[product_id])
            elif item.always_available != entries[product_id]:
                item.always_available = entries[product_id]
                item.save(update_fields=["always_available", "updated_at"])
        audit_record(
            action="orders.menu_updated", actor=user, request=request, data={"products": len(products)}
        )
    return len(products)


def location_hours_set(
    *, user, location: Location, address: str, phone: str, intervals: list[hours.Interval], request=None
) -> Location:
    """What customers are told about a location: its address, phone and week of opening hours
    (MANAGE_ORDERS). Intervals of one day may not overlap."""
    require_perm(user, Perm.MANAGE_ORDERS)
    by_day: dict[int, list[hours.Interval]] = {}
    for interval in intervals:
        if interval.opens >= interval.closes:
            raise ValidationError(_("Each interval must close after it opens."))
        by_day.setdefault(interval.weekday, []).append(interval)
    for day in by_day.values():
        day.sort(key=lambda i: i.opens)
        for before, after in zip(day, day[1:], strict=False):
            if after.opens < before.closes:
                raise ValidationError(_("Two intervals of the same day overlap."))
    with transaction.atomic():
        location = location_update(
            location=location, address=(address or "").strip(), phone=(phone or "").strip()
        )
        hours.replace_week(location, intervals)
        audit_record(
            action="location.hours_updated",
            actor=user,
            request=request,
            target=location.name,
            data={"intervals": len(intervals)},
        )
    return location
