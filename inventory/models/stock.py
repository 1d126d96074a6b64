"""The stock ledger: levels per product and location, immutable movements, transfers and counts."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import TimeStampedModel
from inventory.models.fields import quantity_field, unit_cost_field


class StockLevel(models.Model):
    """On-hand quantity and moving-average unit cost of one product at one location.

    Written only by the ledger (inventory.services.stock) under row locks. ``allow_negative`` is
    the workspace's setting copied onto the row so a CHECK constraint can enforce it (see
    InventorySettings).
    """

    product = models.ForeignKey(
        "inventory.Product", on_delete=models.PROTECT, related_name="stock_levels", verbose_name=_("product")
    )
    location = models.ForeignKey(
        "inventory.Location",
        on_delete=models.PROTECT,
        related_name="stock_levels",
        verbose_name=_("location"),
    )
    on_hand = quantity_field(_("on hand"), default=0)
    # Promised to accepted customer orders and not yet delivered (orders app): what the
    # replenishment suggestions subtract as "committed". Never more than on hand when reserved
    # (LockedStock.reserve checks under the row lock); a later sale at the till may still take
    # on-hand below it, and the order's delivery then meets the shortage like any sale.
    reserved = quantity_field(_("reserved"), default=0)
    average_cost = unit_cost_field(_("average cost"), default=0)
    allow_negative = models.BooleanField(default=False, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("stock level")
        verbose_name_plural = _("stock levels")
        constraints = [
            models.UniqueConstraint(fields=["product", "location"], name="stock_level_one_per_place"),
            models.CheckConstraint(
                condition=Q(on_hand__gte=0) | Q(allow_negative=True), name="stock_level_not_negative"
            ),
            models.CheckConstraint(condition=Q(average_cost__gte=0), name="stock_level_cost_not_negative"),
            models.CheckConstraint(condition=Q(reserved__gte=0), name="stock_level_reserved_not_negative"),
        ]
        indexes = [models.Index(fields=["location", "product"], name="stock_level_location_idx")]

    def __str__(self):
        return f"{self.product_id}@{self.location_id}: {self.on_hand}"


class StockMovement(models.Model):
    """One change of stock. Never updated nor deleted: a database trigger refuses it.

    ``quantity`` is signed (+ in, - out). The document it came from is one of the nullable foreign
    keys (sale, sale_return, purchase_order, transfer, stock_count); receipts without an order
    (opening stock) and adjustments carry a ``reason`` instead.
    """

    class Kind(models.TextChoices):
        # "Receipt" alone is the customer's ticket ("Comprobante"); goods coming in are "Entrada".
        RECEIPT = "receipt", pgettext_lazy("goods coming into stock", "Receipt")
        SALE = "sale", _("Sale")
        RETURN = "return", _("Return")
        ADJUSTMENT = "adjustment", _("Adjustment")
        TRANSFER_OUT = "transfer_out", _("Transfer out")
        TRANSFER_IN = "transfer_in", _("Transfer in")
        COUNT_CORRECTION = "count_correction", _("Count correction")

    INCOMING = (Kind.RECEIPT, Kind.RETURN, Kind.TRANSFER_IN)
    OUTGOING = (Kind.SALE, Kind.TRANSFER_OUT)

    product = models.ForeignKey(
        "inventory.Product", on_delete=models.PROTECT, related_name="movements", verbose_name=_("product")
    )
    location = models.ForeignKey(
        "inventory.Location", on_delete=models.PROTECT, related_name="movements", verbose_name=_("location")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    quantity = quantity_field(_("quantity"))
    # Incoming: the cost the stock came in at; outgoing: the average cost it left at.
    unit_cost = unit_cost_field(_("unit cost"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    sale = models.ForeignKey(
        "inventory.Sale", on_delete=models.PROTECT, null=True, blank=True, related_name="movements"
    )
    sale_return = models.ForeignKey(
        "inventory.SaleReturn", on_delete=models.PROTECT, null=True, blank=True, related_name="movements"
    )
    purchase_order = models.ForeignKey(
        "inventory.PurchaseOrder", on_delete=models.PROTECT, null=True, blank=True, related_name="movements"
    )
    transfer = models.ForeignKey(
        "inventory.Transfer", on_delete=models.PROTECT, null=True, blank=True, related_name="movements"
    )
    stock_count = models.ForeignKey(
        "inventory.StockCount", on_delete=models.PROTECT, null=True, blank=True, related_name="movements"
    )

    class Meta:
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind__in=["receipt", "return", "transfer_in"], quantity__gt=0)
                    | Q(kind__in=["sale", "transfer_out"], quantity__lt=0)
                    | (Q(kind__in=["adjustment", "count_correction"]) & ~Q(quantity=0))
                ),
                name="stock_movement_sign_matches_kind",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["sale", "return"]) | Q(sale__isnull=False),
                name="stock_movement_sale_document",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["transfer_out", "transfer_in"]) | Q(transfer__isnull=False),
                name="stock_movement_transfer_document",
            ),
            models.CheckConstraint(
                condition=~Q(kind="count_correction") | Q(stock_count__isnull=False),
                name="stock_movement_count_document",
            ),
            models.CheckConstraint(
                condition=~Q(kind="adjustment") | ~Q(reason=""), name="stock_movement_adjustment_reason"
            ),
        ]
        indexes = [
            models.Index(fields=["product", "location", "created_at"], name="stock_movement_place_idx"),
            models.Index(fields=["location", "created_at"], name="stock_movement_location_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.quantity} {self.product_id}@{self.location_id}"

    @property
    def document(self):
        """The document this movement came from, if any."""
        return self.sale_return or self.sale or self.purchase_order or self.transfer or self.stock_count


class Transfer(TimeStampedModel):
    """Stock sent from one location to another: out at the origin when sent, in at the
    destination when received."""

    class Status(models.TextChoices):
        SENT = "sent", _("In transit")
        RECEIVED = "received", _("Received")

    number = models.PositiveIntegerField(_("number"), unique=True)
    origin = models.ForeignKey(
        "inventory.Location", on_delete=models.PROTECT, related_name="transfers_out", verbose_name=_("origin")
    )
    destination = models.ForeignKey(
        "inventory.Location",
        on_delete=models.PROTECT,
        related_name="transfers_in",
        verbose_name=_("destination"),
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SENT)
    note = models.CharField(_("note"), max_length=255, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("received by"),
    )
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["-number"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(origin=models.F("destination")), name="transfer_between_two_places"
            ),
            models.CheckConstraint(
                condition=~Q(status="received") | Q(received_at__isnull=False), name="transfer_received_when"
            ),
        ]

    def __str__(self):
        return _("Transfer %(number)s") % {"number": self.number}


class TransferLine(models.Model):
    transfer = models.ForeignKey(Transfer, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey("inventory.Product", on_delete=models.PROTECT, related_name="+")
    quantity = quantity_field(_("quantity"))
    # The origin's average cost when sent: the destination receives the stock at this cost.
    unit_cost = unit_cost_field(_("unit cost"), default=0)

    class Meta:
        verbose_name = _("transfer line")
        verbose_name_plural = _("transfer lines")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="transfer_line_quantity_positive")
        ]

    def __str__(self):
        return f"{self.product_id} × {self.quantity}"


class StockCount(TimeStampedModel):
    """A count sheet for one location. Posting it turns each difference between what was counted and
    what the ledger holds at that moment into a count-correction movement."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Counting")
        POSTED = "posted", _("Posted")
        CANCELLED = "cancelled", _("Cancelled")

    number = models.PositiveIntegerField(_("number"), unique=True)
    location = models.ForeignKey(
        "inventory.Location",
        on_delete=models.PROTECT,
        related_name="stock_counts",
        verbose_name=_("location"),
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("posted by"),
    )
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("stock count")
        verbose_name_plural = _("stock counts")
        ordering = ["-number"]
        constraints = [
            # One open sheet per location: two would correct each other.
            models.UniqueConstraint(
                fields=["location"], condition=Q(status="draft"), name="stock_count_one_open_per_location"
            ),
        ]

    def __str__(self):
        return _("Stock count %(number)s") % {"number": self.number}


class StockCountLine(models.Model):
    stock_count = models.ForeignKey(StockCount, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey("inventory.Product", on_delete=models.PROTECT, related_name="+")
    # NULL until counted; uncounted lines are left alone when posting.
    counted_quantity = quantity_field(_("counted"), null=True, blank=True)
    # Filled in when posting: what the ledger held, and the correction posted.
    expected_quantity = quantity_field(_("expected"), null=True, blank=True)
    difference = quantity_field(_("difference"), null=True, blank=True)

    class Meta:
        verbose_name = _("count line")
        verbose_name_plural = _("count lines")
        constraints = [
            models.UniqueConstraint(
                fields=["stock_count", "product"], name="stock_count_line_one_per_product"
            ),
            models.CheckConstraint(
                condition=Q(counted_quantity__isnull=True) | Q(counted_quantity__gte=0),
                name="stock_count_line_counted_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.product_id}: {self.counted_quantity}"
