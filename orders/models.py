"""Orders from customers (tenant schema): what can be ordered, the orders and their lines.

An order moves new → accepted → preparing → ready → delivered, or to cancelled from any status
before delivered. Accepting holds its stock (``inventory.StockLevel.reserved``); delivering turns it
into one Sale through the sale service and lets the hold go; cancelling lets it go.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from inventory.models.fields import money_field, quantity_field


class OrderSettings(models.Model):
    """The workspace's ordering page: one row (id 1)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    is_open = models.BooleanField(
        _("take orders online"),
        default=True,
        help_text=_("Turn the ordering page off without losing anything."),
    )
    offers_pickup = models.BooleanField(_("pickup"), default=True)
    offers_delivery = models.BooleanField(_("delivery"), default=False)
    offers_table = models.BooleanField(_("at a table"), default=False)
    note_to_buyers = models.CharField(_("note to buyers"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ordering settings")
        verbose_name_plural = _("ordering settings")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="order_settings_singleton")]

    def __str__(self):
        return str(self._meta.verbose_name)


class MenuItem(TimeStampedModel):
    """A product offered on the ordering page. ``always_available`` items (a menu dish, a service)
    are offered whatever the stock says; the others while stock is left after what orders hold."""

    product = models.OneToOneField(
        "inventory.Product", on_delete=models.CASCADE, related_name="menu_item", verbose_name=_("product")
    )
    always_available = models.BooleanField(_("always available"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("orderable product")
        verbose_name_plural = _("orderable products")
        ordering = ["position", "product__name"]

    def __str__(self):
        return str(self.product)


# Paid at the counter: the payment methods of the point of sale. Any other provider (mercadopago,
# wompi) is an online payment.
COLLECTION_PROVIDERS = ("cash", "card", "transfer", "other")


def order_token() -> str:
    return secrets.token_urlsafe(24)


class Order(TimeStampedModel):
    class Status(models.TextChoices):
        NEW = "new", _("New")
        ACCEPTED = "accepted", _("Accepted")
        PREPARING = "preparing", _("Preparing")
        READY = "ready", _("Ready")
        DELIVERED = "delivered", _("Delivered")
        CANCELLED = "cancelled", _("Cancelled")

    class Fulfilment(models.TextChoices):
        PICKUP = "pickup", _("Pickup")
        DELIVERY = "delivery", _("Delivery")
        TABLE = "table", _("At a table")

    class Source(models.TextChoices):
        ONLINE = "online", _("Ordering page")
        STAFF = "staff", _("Staff")
        API = "api", _("API")

    class PaymentStatus(models.TextChoices):
        UNPAID = "unpaid", _("Unpaid")
        PENDING = "pending", _("Payment pending")
        PAID = "paid", _("Paid")
        REFUNDED = "refunded", _("Refunded")

    OPEN_STATUSES = (Status.NEW, Status.ACCEPTED, Status.PREPARING, Status.READY)
    HOLDING_STATUSES = (Status.ACCEPTED, Status.PREPARING, Status.READY)

    location = models.ForeignKey(
        "inventory.Location", on_delete=models.PROTECT, related_name="orders", verbose_name=_("location")
    )
    # Numbers start at 1 each day at each location (what the counter calls out).
    business_date = models.DateField(_("day"))
    number = models.PositiveIntegerField(_("number"))
    token = models.CharField(max_length=64, unique=True, default=order_token, editable=False)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.NEW)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices, default=Source.ONLINE)
    fulfilment = models.CharField(
        _("how"), max_length=8, choices=Fulfilment.choices, default=Fulfilment.PICKUP
    )
    table = models.CharField(_("table"), max_length=16, blank=True)
    delivery_address = models.CharField(_("delivery address"), max_length=200, blank=True)
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("customer"),
    )
    customer_name = models.CharField(_("name"), max_length=150, blank=True)
    customer_phone = models.CharField(_("phone"), max_length=20, blank=True)
    customer_email = models.EmailField(_("email"), blank=True)
    notes = models.CharField(_("notes"), max_length=500, blank=True)
    total = money_field(_("total"))
    cancel_reason = models.CharField(_("reason"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    sale = models.OneToOneField(
        "inventory.Sale", on_delete=models.PROTECT, null=True, blank=True, related_name="order"
    )
    # Payment: on collection (cash at the board) or online (the payments app calls the seam).
    payment_status = models.CharField(
        _("payment"), max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.UNPAID
    )
    payment_provider = models.CharField(_("paid through"), max_length=32, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=100, blank=True)
    paid_amount = money_field(_("amount paid"), null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    payment_note = models.CharField(_("payment note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["location", "business_date", "number"], name="order_number_per_day_and_location"
            ),
            models.CheckConstraint(condition=Q(total__gte=0), name="order_total_not_negative"),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="order_status_idx"),
            models.Index(fields=["updated_at"], name="order_updated_idx"),
        ]

    def __str__(self):
        return f"#{self.number} {self.business_date:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey("inventory.Product", on_delete=models.PROTECT, related_name="+")
    description = models.CharField(_("product"), max_length=200)
    quantity = quantity_field(_("quantity"))
    unit_price = money_field(_("unit price"))
    total = money_field(_("total"))
    # True while stock is held for this line (inventory.StockLevel.reserved): from placing until
    # delivered or cancelled. Always-available items and services hold nothing.
    held = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="order_line_quantity_positive"),
        ]

    def __str__(self):
        return f"{self.quantity} × {self.description}"


class OrderDayCounter(models.Model):
    """The last order number given at a location on a day (locked while an order is numbered)."""

    location = models.ForeignKey("inventory.Location", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["location", "day"], name="order_counter_one_per_day")]

    def __str__(self):
        return f"{self.location_id} {self.day}: {self.last_number}"
