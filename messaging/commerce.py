"""WhatsApp meets orders and payments: "where is my order", "send me a payment link", and the
"your order is ready" reminder.

orders and payments sit below messaging, so messaging plugs them in itself when Django starts
(MessagingConfig.ready): two assistant intents, one reminder kind (found by the beat, and sent at
once when an order turns ready through ``orders.signals.order_status_changed``).
"""

from datetime import datetime, timedelta

from django.utils.translation import gettext as _

from core.money import money_text
from fees.accounts import account_of
from messaging.assistant import Context, Intent, Reply, intent_register
from messaging.reminders import Due, ReminderKind, reminder_kind_register, reminder_send_now
from orders.models import Order
from orders.signals import order_status_changed
from payments.exceptions import NothingOwed, PaymentsError
from payments.services import link_page_url, payment_link_create

ORDER_READY = "order_ready"
# An order that turned ready more than this long ago is not worth a reminder any more.
READY_REMINDER_WINDOW = timedelta(hours=3)


def _order_line(order: Order) -> str:
    return _("Order %(number)s (%(location)s): %(status)s") % {
        "number": order.number,
        "location": order.location.name,
        "status": order.get_status_display().lower(),
    }


def order_status_answer(context: Context) -> Reply:
    orders = list(
        Order.objects.filter(customer=context.customer, status__in=Order.OPEN_STATUSES)
        .select_related("location")
        .order_by("-created_at")[:5]
    )
    if not orders:
        return Reply(text=_("You have no orders in progress."))
    return Reply(text="\n".join(_order_line(order) for order in orders))


def _link_text(link) -> str:
    url = link_page_url(link)
    return _("You can pay %(amount)s here: %(url)s") % {"amount": money_text(link.amount), "url": url}


def payment_link_answer(context: Context) -> Reply:
    """A link for what the customer owes: an order waiting for payment first, else the balance."""
    order = (
        Order.objects.filter(
            customer=context.customer,
            status__in=Order.OPEN_STATUSES,
            payment_status__in=(Order.PaymentStatus.UNPAID, Order.PaymentStatus.PENDING),
        )
        .order_by("-created_at")
        .first()
    )
    try:
        if order is not None:
            link = payment_link_create(kind="order", ref=order.pk, created_by=None)
        else:
            link = payment_link_create(
                kind="family_balance", ref=account_of(context.customer).key, created_by=None
            )
    except NothingOwed:
        return Reply(text=_("You are up to date: nothing to pay."))
    except PaymentsError:
        return Reply(
            text=_('Online payment is not available yet: write "person" and the team will help you.')
        )
    return Reply(text=_link_text(link))


def _orders_ready(now: datetime):
    """The beat's part: orders ready in the last hours whose buyer has not been told."""
    ready = Order.objects.filter(
        status=Order.Status.READY, ready_at__gte=now - READY_REMINDER_WINDOW, customer__isnull=False
    ).select_related("customer", "location")
    for order in ready:
        yield Due(key=f"order:{order.pk}", customer=order.customer, params=_ready_params(order))


def _ready_params(order: Order) -> list[str]:
    return [str(order.number), order.location.name]


def _order_turned_ready(sender, *, order, old, new, **kwargs):
    if new != Order.Status.READY or order.customer_id is None:
        return
    # The signal comes once the order's change is committed; the send opens its own transaction.
    reminder_send_now(
        kind=ORDER_READY, key=f"order:{order.pk}", customer=order.customer, params=_ready_params(order)
    )


def register() -> None:
    intent_register(
        Intent(
            "order_status",
            ("pedido", "mi pedido", "estado del pedido", "orden", "my order", "order", "order status"),
            lambda: _("My order"),
            order_status_answer,
            kinds=("shop",),
            order=40,
        )
    )
    intent_register(
        Intent(
            "payment_link",
            ("link de pago", "enlace de pago", "pagar", "quiero pagar", "pay", "payment link"),
            lambda: _("Pay online"),
            payment_link_answer,
            order=75,
        )
    )
    reminder_kind_register(ReminderKind(ORDER_READY, _orders_ready))
    order_status_changed.connect(_order_turned_ready, dispatch_uid="messaging.order_ready")
