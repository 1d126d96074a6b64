"""Catalogue (categories, products, suppliers), locations and the workspace's inventory settings."""

import uuid
from pathlib import Path

from django.db import connection, models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from inventory.models.fields import money_field, quantity_field
from inventory.validators import validate_barcode, validate_product_image


class InventorySettings(models.Model):
    """The workspace's inventory settings: one row per tenant schema (id is always 1).

    ``allow_negative_stock`` cannot be enforced by a CHECK constraint on StockLevel directly (a
    CHECK sees only its own row), so every StockLevel carries a copy of it in ``allow_negative``
    and the constraint there reads ``on_hand >= 0 OR allow_negative``. The copy is kept in sync by
    ``inventory_settings_update`` (which rewrites every level under a lock on this row) and by the
    ledger, which stamps the current value on every level it writes while holding a share lock on
    this row. So the database itself refuses a negative on-hand whenever the setting is off.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    allow_negative_stock = models.BooleanField(
        _("allow negative stock"),
        default=False,
        help_text=_("Sell and move stock even when the system shows none left."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("inventory settings")
        verbose_name_plural = _("inventory settings")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="inventory_settings_singleton")]

    def __str__(self):
        return str(self._meta.verbose_name)


class DocumentCounter(models.Model):
    """The last number given to each kind of document (sales, returns, orders...).

    Numbers come without gaps: the row is locked until the document's transaction ends, and a
    refused document gives its number back by rolling back.
    """

    kind = models.CharField(max_length=32, unique=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("document counter")
        verbose_name_plural = _("document counters")

    def __str__(self):
        return f"{self.kind}: {self.last_number}"


class Location(TimeStampedModel):
    """Where stock is kept or sold: a store, a branch ("sede") or a warehouse."""

    class Kind(models.TextChoices):
        STORE = "store", _("Store")
        BRANCH = "branch", _("Branch")
        WAREHOUSE = "warehouse", _("Warehouse")

    name = models.CharField(_("name"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.STORE)
    is_active = models.BooleanField(_("active"), default=True)
    # What customers are told (ordering page, WhatsApp assistant): where it is and how to call.
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["name"]

    def __str__(self):
        return self.name


class OpeningHours(models.Model):
    """One opening interval of a location on a weekday (a day may have several: 9–13 and 16–20).

    Times are wall-clock times in the workspace's time zone. A location with no rows at all is
    "hours not set" (treated as open by the ordering page, answered as unknown by the assistant);
    see ``inventory.hours``.
    """

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="opening_hours", verbose_name=_("location")
    )
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["location", "weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens__lt=F("closes")), name="opening_hours_opens_before_closes"
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="opening_hours_weekday_range"
            ),
        ]

    def __str__(self):
        return f"{self.location} {self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class Category(TimeStampedModel):
    """A product category; categories nest (Almacén › Infusiones)."""

    name = models.CharField(_("name"), max_length=120)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent category"),
    )

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["name"]
        constraints = [
            # Top-level names (parent NULL) are unique too.
            models.UniqueConstraint(
                fields=["parent", "name"], nulls_distinct=False, name="category_name_unique_in_parent"
            ),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="category_not_own_parent"),
        ]

    def __str__(self):
        return self.name


class Supplier(TimeStampedModel):
    name = models.CharField(_("name"), max_length=160, unique=True)
    tax_id = models.CharField(_("tax ID"), max_length=32, blank=True)
    contact_name = models.CharField(_("contact"), max_length=120, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    note = models.TextField(_("note"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        ordering = ["name"]

    def __str__(self):
        return self.name


def product_image_path(instance, filename: str) -> str:
    """Images live under the workspace's schema name, with a random name (no user text in paths)."""
    suffix = Path(filename).suffix.lower()[:10]
    return f"{connection.schema_name}/products/{uuid.uuid4().hex}{suffix}"


class Product(TimeStampedModel):
    """Something the business sells. Services and class packages hold no stock (``tracks_stock``)."""

    class Unit(models.TextChoices):
        UNIT = "unit", _("Unit")
        KG = "kg", _("Kilogram")
        LITRE = "litre", _("Litre")
        PACK = "pack", _("Pack")

    sku = models.CharField(_("SKU"), max_length=64, unique=True)
    barcode = models.CharField(
        _("barcode"),
        max_length=13,
        blank=True,
        validators=[validate_barcode],
        help_text=_("EAN-13 or UPC-A."),
    )
    name = models.CharField(_("name"), max_length=200)
    category = models.ForeignKey(
        Category,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="products",
        verbose_name=_("category"),
    )
    unit = models.CharField(_("unit"), max_length=8, choices=Unit.choices, default=Unit.UNIT)
    sale_price = money_field(_("sale price"))
    # The catalogue cost; receipts move it to the moving average of the stock on hand.
    cost = money_field(_("cost"), default=0)
    tax_rate = models.DecimalField(
        _("tax rate (%)"),
        max_digits=5,
        decimal_places=2,
        default=0,
        help_text=_("Included in the sale price."),
    )
    tracks_stock = models.BooleanField(_("holds stock"), default=True)
    is_active = models.BooleanField(_("active"), default=True)
    image = models.ImageField(
        _("image"), upload_to=product_image_path, blank=True, validators=[validate_product_image]
    )
    # Replenishment.
    min_stock = quantity_field(_("minimum stock"), default=0)
    preferred_supplier = models.ForeignKey(
        Supplier,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="products",
        verbose_name=_("preferred supplier"),
    )
    lead_time_days = models.PositiveSmallIntegerField(_("lead time (days)"), default=0)
    pack_size = quantity_field(
        _("pack size"), default=1, help_text=_("Units in each pack the supplier sells.")
    )

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(sale_price__gte=0), name="product_price_not_negative"),
            models.CheckConstraint(condition=Q(cost__gte=0), name="product_cost_not_negative"),
            models.CheckConstraint(
                condition=Q(tax_rate__gte=0, tax_rate__lte=100), name="product_tax_rate_percentage"
            ),
            models.CheckConstraint(condition=Q(min_stock__gte=0), name="product_min_stock_not_negative"),
            models.CheckConstraint(condition=Q(pack_size__gt=0), name="product_pack_size_positive"),
            models.UniqueConstraint(
                fields=["barcode"], condition=~Q(barcode=""), name="product_barcode_unique"
            ),
        ]
        indexes = [models.Index(fields=["is_active", "name"], name="product_active_name_idx")]

    def __str__(self):
        return f"{self.sku} · {self.name}"

    @property
    def counts_units(self) -> bool:
        """Sold by the piece or the pack (46 en existencia), not weighed or measured (2,5 kg)."""
        return not self.allows_fractions

    @property
    def allows_fractions(self) -> bool:
        """Kilograms and litres are sold by weight or volume; units and packs are whole."""
        return self.unit in (self.Unit.KG, self.Unit.LITRE)
