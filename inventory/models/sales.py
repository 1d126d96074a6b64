"""Point of sale: sales and their lines, returns, and quotes that turn into sales.

Prices include tax, as shelf prices do in Latin America: a line's total is what the customer pays
for it, and ``tax_amount`` is the part of it that is tax (total - total / (1 + rate)).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from inventory.models.fields import money_field, quantity_field, unit_cost_field


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Cash")
    CARD = "card", _("Card")
    TRANSFER = "transfer", _("Bank transfer")
    OTHER = "other", _("Other")


class Sale(TimeStampedModel):
    class Status(models.TextChoices):
        COMPLETED = "completed", _("Completed")
        VOIDED = "voided", _("Voided")

    PaymentMethod = PaymentMethod

    number = models.PositiveIntegerField(_("number"), unique=True)
    # When the sale happened (set by the service; imports of past sales pass their own).
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    location = models.ForeignKey(
        "inventory.Location", on_delete=models.PROTECT, related_name="sales", verbose_name=_("location")
    )
    seller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("seller"),
    )
    customer_name = models.CharField(_("customer"), max_length=160, blank=True)
    payment_method = models.CharField(
        _("payment method"), max_length=16, choices=PaymentMethod.choices, default=PaymentMethod.CASH
    )
    amount_tendered = money_field(_("amount tendered"), null=True, blank=True)
    change_due = money_field(_("change"), default=0)
    subtotal = money_field(_("subtotal"), default=0)  # before discounts
    discount_total = money_field(_("discounts"), default=0)
    tax_total = money_field(_("tax included"), default=0)
    total = money_field(_("total"), default=0)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.COMPLETED)
    note = models.CharField(_("note"), max_length=255, blank=True)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("voided by"),
    )
    void_reason = models.CharField(_("reason for voiding"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("sale")
        verbose_name_plural = _("sales")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(total__gte=0), name="sale_total_not_negative"),
            models.CheckConstraint(condition=Q(change_due__gte=0), name="sale_change_not_negative"),
            models.CheckConstraint(
                condition=Q(amount_tendered__isnull=True) | Q(amount_tendered__gte=models.F("total")),
                name="sale_tendered_covers_total",
            ),
            models.CheckConstraint(
                condition=~Q(status="voided") | (Q(voided_at__isnull=False) & ~Q(void_reason="")),
                name="sale_void_has_when_and_why",
            ),
        ]
        indexes = [
            # Dashboard and reports over a million sales: today's income, the 30-day chart and the
            # latest sales read completed sales by time (index-only with the included columns).
            models.Index(
                fields=["created_at"],
                include=["total", "location"],
                condition=Q(status="completed"),
                name="sale_completed_time_idx",
            ),
            models.Index(
                fields=["location", "created_at"],
                include=["total"],
                condition=Q(status="completed"),
                name="sale_completed_place_time_idx",
            ),
            models.Index(fields=["created_at"], name="sale_time_idx"),
        ]

    def __str__(self):
        return _("Sale %(number)s") % {"number": self.number}


class SaleLine(models.Model):
    sale = models.ForeignKey(Sale, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(
        "inventory.Product", on_delete=models.PROTECT, related_name="sale_lines", verbose_name=_("product")
    )
    # The product's name when sold: the receipt reads the same after the catalogue changes.
    description = models.CharField(_("description"), max_length=200)
    quantity = quantity_field(_("quantity"))
    unit_price = money_field(_("unit price"))
    discount = money_field(_("discount"), default=0)
    tax_rate = models.DecimalField(_("tax rate (%)"), max_digits=5, decimal_places=2, default=0)
    tax_amount = money_field(_("tax included"), default=0)
    total = money_field(_("total"))
    # Average cost of the stock when sold (cost of goods, and the value at which returns come back).
    unit_cost = unit_cost_field(_("unit cost"), default=0)
    returned_quantity = quantity_field(_("returned"), default=0)

    class Meta:
        verbose_name = _("sale line")
        verbose_name_plural = _("sale lines")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="sale_line_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="sale_line_price_not_negative"),
            models.CheckConstraint(condition=Q(discount__gte=0), name="sale_line_discount_not_negative"),
            models.CheckConstraint(condition=Q(total__gte=0), name="sale_line_total_not_negative"),
            models.CheckConstraint(
                condition=Q(returned_quantity__gte=0, returned_quantity__lte=models.F("quantity")),
                name="sale_line_returned_within_sold",
            ),
        ]
        indexes = [models.Index(fields=["product", "sale"], name="sale_line_product_idx")]

    def __str__(self):
        return f"{self.description} × {self.quantity}"

    @property
    def returnable_quantity(self):
        return self.quantity - self.returned_quantity


class SaleReturn(TimeStampedModel):
    """Goods brought back from a sale (part or all of it): stock goes back, money is refunded."""

    number = models.PositiveIntegerField(_("number"), unique=True)
    sale = models.ForeignKey(Sale, on_delete=models.PROTECT, related_name="returns", verbose_name=_("sale"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("who"),
    )
    reason = models.CharField(_("reason"), max_length=255)
    refund_total = money_field(_("refund"), default=0)

    class Meta:
        verbose_name = _("return")
        verbose_name_plural = _("returns")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="sale_return_has_reason"),
            models.CheckConstraint(condition=Q(refund_total__gte=0), name="sale_return_refund_not_negative"),
        ]
        indexes = [models.Index(fields=["created_at"], name="sale_return_time_idx")]

    def __str__(self):
        return _("Return %(number)s") % {"number": self.number}


class SalesHourTotal(models.Model):
    """Completed sales and refunds per hour (UTC) and location, kept by database triggers on sales
    and returns (migration 0006), whatever writes them (point of sale, API, imports): the dashboard
    reads a few hundred of these rows instead of every sale. Each hour is spread over ``SLOTS``
    rows, picked at random per write, so cashiers selling at once do not queue on one row.
    ``sales_totals_rebuild`` recomputes them from the sales."""

    SLOTS = 8

    hour = models.DateTimeField(_("hour"))
    location = models.ForeignKey("inventory.Location", on_delete=models.CASCADE, related_name="+")
    slot = models.PositiveSmallIntegerField(default=0)
    sales_total = money_field(_("sales"), default=0)
    sales_count = models.IntegerField(_("number of sales"), default=0)
    refunds_total = money_field(_("refunds"), default=0)

    class Meta:
        verbose_name = _("sales per hour")
        verbose_name_plural = _("sales per hour")
        constraints = [
            models.UniqueConstraint(fields=["hour", "location", "slot"], name="sales_hour_total_one_per_slot")
        ]

    def __str__(self):
        return f"{self.hour:%Y-%m-%d %H:00} · {self.location_id} · {self.sales_total}"


class SaleReturnLine(models.Model):
    sale_return = models.ForeignKey(SaleReturn, on_delete=models.CASCADE, related_name="lines")
    sale_line = models.ForeignKey(SaleLine, on_delete=models.PROTECT, related_name="return_lines")
    product = models.ForeignKey("inventory.Product", on_delete=models.PROTECT, related_name="+")
    quantity = quantity_field(_("quantity"))
    amount = money_field(_("refund"))

    class Meta:
        verbose_name = _("return line")
        verbose_name_plural = _("return lines")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="sale_return_line_quantity_positive"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="sale_return_line_amount_not_negative"),
        ]

    def __str__(self):
        return f"{self.product_id} × {self.quantity}"


class Quote(TimeStampedModel):
    """A priced offer to a customer, valid until a date; converting it makes a sale at its prices."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CONVERTED = "converted", _("Converted")
        CANCELLED = "cancelled", _("Cancelled")

    number = models.PositiveIntegerField(_("number"), unique=True)
    location = models.ForeignKey(
        "inventory.Location", on_delete=models.PROTECT, related_name="quotes", verbose_name=_("location")
    )
    customer_name = models.CharField(_("customer"), max_length=160, blank=True)
    customer_email = models.EmailField(_("customer email"), blank=True)
    valid_until = models.DateField(_("valid until"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("prepared by"),
    )
    sale = models.OneToOneField(
        Sale, on_delete=models.PROTECT, null=True, blank=True, related_name="quote", verbose_name=_("sale")
    )
    converted_at = models.DateTimeField(_("converted at"), null=True, blank=True)
    subtotal = money_field(_("subtotal"), default=0)
    discount_total = money_field(_("discounts"), default=0)
    tax_total = money_field(_("tax included"), default=0)
    total = money_field(_("total"), default=0)

    class Meta:
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        ordering = ["-number"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="converted") | Q(sale__isnull=False), name="quote_converted_has_sale"
            ),
        ]

    def __str__(self):
        return _("Quote %(number)s") % {"number": self.number}


class QuoteLine(models.Model):
    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey("inventory.Product", on_delete=models.PROTECT, related_name="+")
    description = models.CharField(_("description"), max_length=200)
    quantity = quantity_field(_("quantity"))
    unit_price = money_field(_("unit price"))
    discount = money_field(_("discount"), default=0)
    tax_rate = models.DecimalField(_("tax rate (%)"), max_digits=5, decimal_places=2, default=0)
    tax_amount = money_field(_("tax included"), default=0)
    total = money_field(_("total"))

    class Meta:
        verbose_name = _("quote line")
        verbose_name_plural = _("quote lines")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="quote_line_quantity_positive"),
            models.CheckConstraint(condition=Q(total__gte=0), name="quote_line_total_not_negative"),
        ]

    def __str__(self):
        return f"{self.description} × {self.quantity}"
