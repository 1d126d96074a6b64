"""Purchasing: orders to suppliers, received in one or more deliveries."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from inventory.models.fields import money_field, quantity_field


class PurchaseOrder(TimeStampedModel):
    """draft -> sent -> partially_received / received -> closed; or cancelled before anything arrives."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent")
        PARTIALLY_RECEIVED = "partially_received", _("Partly received")
        RECEIVED = "received", _("Received")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    # Statuses in which what is not yet received is still on its way.
    OPEN_STATUSES = (Status.SENT, Status.PARTIALLY_RECEIVED)

    number = models.PositiveIntegerField(_("number"), unique=True)
    supplier = models.ForeignKey(
        "inventory.Supplier",
        on_delete=models.PROTECT,
        related_name="purchase_orders",
        verbose_name=_("supplier"),
    )
    location = models.ForeignKey(
        "inventory.Location",
        on_delete=models.PROTECT,
        related_name="purchase_orders",
        verbose_name=_("deliver to"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    expected_on = models.DateField(_("expected on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)  # printed and emailed to the supplier
    # Seen only inside the workspace (never in the supplier's email or the printed order).
    internal_note = models.CharField(_("internal note"), max_length=255, blank=True)
    total = money_field(_("total"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    emailed_to = models.EmailField(_("emailed to"), blank=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("purchase order")
        verbose_name_plural = _("purchase orders")
        ordering = ["-number"]
        constraints = [
            models.CheckConstraint(condition=Q(total__gte=0), name="purchase_order_total_not_negative")
        ]
        indexes = [models.Index(fields=["status", "location"], name="purchase_order_status_idx")]

    def __str__(self):
        return _("Purchase order %(number)s") % {"number": self.number}


class PurchaseOrderLine(models.Model):
    order = models.ForeignKey(PurchaseOrder, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(
        "inventory.Product",
        on_delete=models.PROTECT,
        related_name="purchase_lines",
        verbose_name=_("product"),
    )
    quantity_ordered = quantity_field(_("ordered"))
    quantity_received = quantity_field(_("received"), default=0)
    unit_cost = money_field(_("unit cost"))

    class Meta:
        verbose_name = _("purchase order line")
        verbose_name_plural = _("purchase order lines")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity_ordered__gt=0), name="purchase_line_ordered_positive"
            ),
            models.CheckConstraint(
                condition=Q(quantity_received__gte=0, quantity_received__lte=models.F("quantity_ordered")),
                name="purchase_line_received_within_ordered",
            ),
            models.CheckConstraint(condition=Q(unit_cost__gte=0), name="purchase_line_cost_not_negative"),
        ]

    def __str__(self):
        return f"{self.product_id}: {self.quantity_received}/{self.quantity_ordered}"

    @property
    def quantity_outstanding(self):
        return self.quantity_ordered - self.quantity_received
