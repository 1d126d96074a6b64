"""Online payment of an order: the "order" payable of the payments app, and the ordering page's
checkout (``orders.payment_seam``), wired when Django starts (OrdersConfig.ready).

payments sits below orders, so orders registers itself there; payments never imports orders.
``ref`` is the order's id. The buyer has no account: the link is asked by the workspace itself
(``created_by=None``). One open link per order is reused, so reopening the status page never asks
the provider for a second checkout.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.http import BIGINT_MAX
from orders import payment_seam
from orders.exceptions import OrderError
from orders.models import Order
from orders.services import order_mark_paid, order_payment_reversed
from payments import payables
from payments.exceptions import NothingOwed, PaymentsError, PaymentsNotFound
from payments.models import PaymentLink
from payments.services import current_workspace, payment_link_create, workspace_currency
from tenants.services import workspace_reverse

KIND = "order"


def _order(ref: str) -> Order:
    if not ref.isascii() or not ref.isdigit() or int(ref) > BIGINT_MAX:
        raise PaymentsNotFound()
    order = Order.objects.filter(pk=int(ref)).first()
    if order is None:
        raise PaymentsNotFound()
    return order


def describe(ref: str) -> payables.Payable:
    order = _order(ref)
    if order.payment_status == Order.PaymentStatus.PAID or not order.is_open:
        raise NothingOwed(_("Order %(number)s has nothing left to pay.") % {"number": order.number})
    return payables.Payable(
        amount=order.total,
        currency=workspace_currency(),
        description=_("Order %(number)s") % {"number": order.number},
        payer_name=order.customer_name,
        payer_email=order.customer_email,
        return_url=workspace_reverse(current_workspace(), "ordering:status", args=[order.token]),
    )


def on_paid(ref: str, payment) -> None:
    try:
        order_mark_paid(
            order=_order(ref),
            provider=payment.get_provider_display(),
            reference=payment.provider_payment_id,
            amount=payment.amount,
        )
    except OrderError as error:
        raise PaymentsError(error.message) from error


def on_reversed(ref: str, payment) -> None:
    order_payment_reversed(
        order=_order(ref),
        reason=_("Refunded at %(provider)s (%(id)s)")
        % {"provider": payment.get_provider_display(), "id": payment.provider_payment_id},
    )


def checkout_url_for(order: Order, request) -> str | None:
    """The payer's page of the order's open link (made on first use), or None when the workspace
    takes no online payment in its currency (the page then offers payment on collection)."""
    link = (
        PaymentLink.objects.filter(kind=KIND, ref=str(order.pk), status=PaymentLink.Status.OPEN)
        .order_by("-pk")
        .first()
    )
    if link is None or link.amount != order.total:
        try:
            link = payment_link_create(kind=KIND, ref=order.pk, created_by=None)
        except PaymentsError:
            return None
    return reverse("payments:pay_go", args=[link.token])


def register() -> None:
    payables.register(
        KIND, describe=describe, on_paid=on_paid, on_reversed=on_reversed, label=gettext_lazy("Order")
    )
    payment_seam.checkout_url_provider_set(checkout_url_for)
