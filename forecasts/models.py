"""Demand forecasts per product and location, and the reorder suggestions drawn from them.

Each run replaces the previous results (one row per product and location); the runs themselves
are kept as a log (status, progress, timing) for the screen's progress bar.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from inventory.models.fields import quantity_field


class ForecastSettings(models.Model):
    """The workspace's replenishment policy (one row)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    service_level = models.DecimalField(
        _("service level"),
        max_digits=4,
        decimal_places=3,
        default=0.95,
        help_text=_("Share of replenishment cycles that should end without a stockout."),
    )
    review_days = models.PositiveSmallIntegerField(
        _("review period (days)"), default=7, help_text=_("How often you place orders.")
    )

    class Meta:
        verbose_name = _("forecast settings")
        verbose_name_plural = _("forecast settings")
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="forecast_settings_singleton"),
            models.CheckConstraint(
                condition=Q(service_level__gte=0.5, service_level__lt=1), name="forecast_service_level_range"
            ),
        ]

    def __str__(self):
        return f"{self.service_level}"


class ForecastRun(TimeStampedModel):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Trigger(models.TextChoices):
        NIGHTLY = "nightly", _("Nightly")
        MANUAL = "manual", _("On demand")

    ACTIVE_STATUSES = (Status.QUEUED, Status.RUNNING)

    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    trigger = models.CharField(_("trigger"), max_length=16, choices=Trigger.choices, default=Trigger.NIGHTLY)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history_end = models.DateField(_("history up to"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    series_count = models.PositiveIntegerField(_("series"), default=0)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("forecast run")
        verbose_name_plural = _("forecast runs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="forecast_run_progress_percent"),
            # At most one run queued (and one running): a second request gets the queued one.
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status__in=["queued", "running"]),
                name="forecast_run_one_active",
            ),
        ]

    def __str__(self):
        return f"{self.pk} {self.status}"


class SeriesForecast(models.Model):
    """The latest forecast of one product at one location: daily values from ``first_day``, and
    the totals per period (week or month, the grain it was modelled in) from ``periods_start``.

    The accuracy figures are out of sample: the rolling-origin backtest of the chosen model on
    period totals (``windows`` windows), beside seasonal naive and the moving average of the last
    four periods on the same windows. Never the in-sample fit."""

    class Grain(models.TextChoices):
        WEEK = "week", _("Weekly")
        MONTH = "month", _("Monthly")

    class DemandClass(models.TextChoices):
        SMOOTH = "smooth", _("Regular")
        INTERMITTENT = "intermittent", _("Intermittent")
        SHORT = "short", _("Too little history")

    run = models.ForeignKey(ForecastRun, on_delete=models.CASCADE, related_name="forecasts")
    product = models.ForeignKey("inventory.Product", on_delete=models.CASCADE, related_name="+")
    location = models.ForeignKey("inventory.Location", on_delete=models.CASCADE, related_name="+")
    demand_class = models.CharField(_("demand"), max_length=16, choices=DemandClass.choices)
    model = models.CharField(_("model"), max_length=40)
    short_history = models.BooleanField(_("too little history"), default=False)
    first_day = models.DateField(_("first day"))
    daily = models.JSONField(_("daily forecast"))
    sigma_daily = models.FloatField(_("daily error spread"))
    wape = models.FloatField(_("WAPE"), null=True, blank=True)
    naive_wape = models.FloatField(_("seasonal naive WAPE"), null=True, blank=True)
    mase = models.FloatField(_("MASE"), null=True, blank=True)
    grain = models.CharField(_("grain"), max_length=8, choices=Grain.choices, default=Grain.WEEK)
    periods_start = models.DateField(_("first period"), null=True, blank=True)
    periods = models.JSONField(_("forecast per period"), default=list)
    moving_average_wape = models.FloatField(_("moving average WAPE"), null=True, blank=True)
    windows = models.PositiveSmallIntegerField(_("backtest windows"), default=0)
    beats_naive = models.BooleanField(_("beats seasonal naive"), null=True, blank=True)
    beats_moving_average = models.BooleanField(_("beats the moving average"), null=True, blank=True)

    class Meta:
        verbose_name = _("forecast")
        verbose_name_plural = _("forecasts")
        constraints = [
            models.UniqueConstraint(fields=["product", "location"], name="series_forecast_one_per_place")
        ]

    def __str__(self):
        return f"{self.product_id}@{self.location_id}: {self.model}"


class ReorderSuggestion(models.Model):
    """What to order now of one product for one location, and the figures behind it."""

    run = models.ForeignKey(ForecastRun, on_delete=models.CASCADE, related_name="suggestions")
    product = models.ForeignKey("inventory.Product", on_delete=models.CASCADE, related_name="+")
    location = models.ForeignKey("inventory.Location", on_delete=models.CASCADE, related_name="+")
    supplier = models.ForeignKey(
        "inventory.Supplier", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    on_hand = quantity_field(_("on hand"))
    on_order = quantity_field(_("on order"))
    committed = quantity_field(_("committed"), default=0)
    lead_time_days = models.PositiveSmallIntegerField(_("lead time (days)"))
    review_days = models.PositiveSmallIntegerField(_("review period (days)"))
    service_level = models.DecimalField(_("service level"), max_digits=4, decimal_places=3)
    demand_lead = models.FloatField(_("demand over the lead time"))
    sigma_lead = models.FloatField(_("spread of the lead-time demand"))
    safety_stock = models.FloatField(_("safety stock"))
    reorder_point = models.FloatField(_("reorder point"))
    order_up_to = models.FloatField(_("order-up-to level"))
    pack_size = quantity_field(_("pack size"))
    packs = models.PositiveIntegerField(_("packs"))
    quantity = quantity_field(_("quantity"))
    purchase_order = models.ForeignKey(
        "inventory.PurchaseOrder", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("reorder suggestion")
        verbose_name_plural = _("reorder suggestions")
        constraints = [
            models.UniqueConstraint(fields=["product", "location"], name="reorder_suggestion_one_per_place"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="reorder_suggestion_not_negative"),
        ]

    def __str__(self):
        return f"{self.product_id}@{self.location_id}: {self.quantity}"
