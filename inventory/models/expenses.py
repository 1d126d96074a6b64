"""Money spent that is not stock: rent, wages, services."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from inventory.models.fields import money_field


class ExpenseCategory(TimeStampedModel):
    name = models.CharField(_("name"), max_length=120, unique=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("expense category")
        verbose_name_plural = _("expense categories")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Expense(TimeStampedModel):
    date = models.DateField(_("date"))
    amount = money_field(_("amount"))
    category = models.ForeignKey(
        ExpenseCategory, on_delete=models.PROTECT, related_name="expenses", verbose_name=_("category")
    )
    # Empty: the expense belongs to the whole business.
    location = models.ForeignKey(
        "inventory.Location",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="expenses",
        verbose_name=_("location"),
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        ordering = ["-date", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="expense_amount_positive")]
        indexes = [
            models.Index(fields=["date"], include=["amount"], name="expense_date_idx"),
            models.Index(fields=["location", "date"], include=["amount"], name="expense_place_date_idx"),
        ]

    def __str__(self):
        return f"{self.date} {self.category_id} {self.amount}"
