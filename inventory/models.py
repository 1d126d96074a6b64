"""Catalogue and locations of one workspace (tenant schema)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


class Location(TimeStampedModel):
    """Where stock is kept or sold: a store, a branch ("sede") or a warehouse."""

    class Kind(models.TextChoices):
        STORE = "store", _("Store")
        BRANCH = "branch", _("Branch")
        WAREHOUSE = "warehouse", _("Warehouse")

    name = models.CharField(_("name"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.STORE)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Product(TimeStampedModel):
    """Something the business sells. Services and class packages hold no stock."""

    sku = models.CharField(_("SKU"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    sale_price = models.DecimalField(_("sale price"), max_digits=12, decimal_places=2)
    cost = models.DecimalField(_("cost"), max_digits=12, decimal_places=2, default=0)
    tracks_stock = models.BooleanField(_("holds stock"), default=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(sale_price__gte=0), name="product_price_not_negative"),
            models.CheckConstraint(condition=models.Q(cost__gte=0), name="product_cost_not_negative"),
        ]

    def __str__(self):
        return f"{self.sku} · {self.name}"
