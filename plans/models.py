"""Plans and their list prices (public schema). The super-admin edits them in the Django admin.

What a plan allows (limits, features) is read by every app; how it is paid lives in ``billing``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


class Plan(TimeStampedModel):
    class BrandingLevel(models.TextChoices):
        NONE = "none", _("None")
        LOGO = "logo", _("Logo only")
        COLOURS = "colours", _("Logo, colours and favicon")
        WHITE_LABEL = "white_label", _("White label")

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=60)
    # Order in which plans are offered; an upgrade is any plan further along.
    rank = models.PositiveSmallIntegerField(_("rank"), default=0)
    is_public = models.BooleanField(_("offered on the site"), default=True)
    trial_days = models.PositiveSmallIntegerField(_("trial days"), default=14)
    # Limits: null means unlimited.
    max_products = models.PositiveIntegerField(_("products"), null=True, blank=True)
    max_locations = models.PositiveIntegerField(_("locations"), null=True, blank=True)
    max_users = models.PositiveIntegerField(_("users"), null=True, blank=True)
    max_sales_per_month = models.PositiveIntegerField(_("sales per month"), null=True, blank=True)
    # Academies: students with an active enrolment, and teachers (sites are locations).
    max_active_students = models.PositiveIntegerField(_("active students"), null=True, blank=True)
    max_teachers = models.PositiveIntegerField(_("teachers"), null=True, blank=True)
    # Customers: orders taken on the ordering page, and WhatsApp conversations opened, a month.
    max_online_orders_per_month = models.PositiveIntegerField(
        _("online orders per month"), null=True, blank=True
    )
    max_conversations_per_month = models.PositiveIntegerField(
        _("WhatsApp conversations per month"), null=True, blank=True
    )
    # Features.
    has_api = models.BooleanField(_("REST API access"), default=False)
    has_forecasts = models.BooleanField(_("forecasts"), default=False)
    branding_level = models.CharField(
        _("branding level"), max_length=16, choices=BrandingLevel.choices, default=BrandingLevel.NONE
    )
    api_requests_per_minute = models.PositiveIntegerField(_("API requests per minute"), default=60)

    class Meta:
        # The table keeps the name it had when plans lived in the billing app.
        db_table = "billing_plan"
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["rank"]

    def __str__(self):
        return self.name


class PlanPrice(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="prices", verbose_name=_("plan"))
    currency = models.CharField(_("currency"), max_length=3)
    monthly_amount = models.DecimalField(_("monthly price"), max_digits=12, decimal_places=2)

    class Meta:
        db_table = "billing_planprice"
        verbose_name = _("price")
        verbose_name_plural = _("prices")
        constraints = [
            models.UniqueConstraint(fields=["plan", "currency"], name="plan_price_one_per_currency"),
            models.CheckConstraint(condition=models.Q(monthly_amount__gte=0), name="plan_price_not_negative"),
        ]

    def __str__(self):
        return f"{self.plan} · {self.currency} {self.monthly_amount}"
