"""Reads of the forecasts app: latest run, forecasts, suggestions grouped by supplier, accuracy."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from forecasts.models import ForecastRun, ReorderSuggestion, SeriesForecast
from inventory.models import PurchaseOrder


def forecast_run_latest() -> ForecastRun | None:
    return ForecastRun.objects.order_by("-created_at", "-id").first()


def forecast_run_active() -> ForecastRun | None:
    return ForecastRun.objects.filter(status__in=ForecastRun.ACTIVE_STATUSES).order_by("-id").first()


def series_forecast_get(*, product_id: int, location_id: int) -> SeriesForecast | None:
    return SeriesForecast.objects.filter(product_id=product_id, location_id=location_id).first()


def suggestion_list(*, to_order_only: bool = True) -> QuerySet[ReorderSuggestion]:
    """Suggestions with their product, place, supplier and draft order joined in, by supplier."""
    suggestions = ReorderSuggestion.objects.select_related(
        "product", "location", "supplier", "purchase_order"
    )
    if to_order_only:
        suggestions = suggestions.filter(quantity__gt=0)
    return suggestions.order_by("supplier__name", "location__name", "product__name")


@dataclass(frozen=True)
class SupplierSuggestions:
    supplier: object  # inventory.Supplier or None (products without a preferred supplier)
    location: object
    suggestions: list[ReorderSuggestion]

    @property
    def purchase_order(self):
        return next((s.purchase_order for s in self.suggestions if s.purchase_order_id), None)


def suggestions_by_supplier() -> list[SupplierSuggestions]:
    """What to order now, one group per (supplier, delivery place): one purchase order each."""
    grouped = defaultdict(list)
    for suggestion in suggestion_list():
        grouped[(suggestion.supplier, suggestion.location)].append(suggestion)
    return [
        SupplierSuggestions(supplier=s, location=loc, suggestions=items)
        for (s, loc), items in grouped.items()
    ]


def _figure(value) -> str:
    value = Decimal(str(round(float(value)))) if float(value) == round(float(value)) else Decimal(str(value))
    return number_format(value.normalize(), use_l10n=True)


def suggestion_explanation(suggestion: ReorderSuggestion) -> str:
    """The suggestion in words, in the active language, e.g. "on hand 12, on order 0, expected
    demand over 7 days of lead time 30 ± 8, safety stock 13 → order 40 (4 packs of 10)"."""
    figures = {
        "on_hand": _figure(suggestion.on_hand),
        "on_order": _figure(suggestion.on_order),
        "days": suggestion.lead_time_days,
        "demand": _figure(round(suggestion.demand_lead)),
        "spread": _figure(round(suggestion.sigma_lead)),
        "safety": _figure(round(suggestion.safety_stock)),
    }
    text = (
        ngettext(
            "on hand %(on_hand)s, on order %(on_order)s, expected demand over %(days)s day of lead time "
            "%(demand)s ± %(spread)s, safety stock %(safety)s",
            "on hand %(on_hand)s, on order %(on_order)s, expected demand over %(days)s days of lead time "
            "%(demand)s ± %(spread)s, safety stock %(safety)s",
            suggestion.lead_time_days,
        )
        % figures
    )
    if suggestion.committed:
        text += _(", committed %(committed)s") % {"committed": _figure(suggestion.committed)}
    if not suggestion.packs:
        return (
            text
            + " → "
            + _("no order needed (reorder point %(point)s)")
            % {"point": _figure(round(suggestion.reorder_point))}
        )
    order = ngettext(
        "order %(quantity)s (%(packs)s pack of %(size)s)",
        "order %(quantity)s (%(packs)s packs of %(size)s)",
        suggestion.packs,
    ) % {
        "quantity": _figure(suggestion.quantity),
        "packs": suggestion.packs,
        "size": _figure(suggestion.pack_size),
    }
    return f"{text} → {order}"


@dataclass(frozen=True)
class ChartData:
    history: list[tuple[str, float | None]]
    forecast: list[tuple[str, float, float, float]]  # day, value, low, high
    reorder_point: float | None


def forecast_chart(*, forecast: SeriesForecast, history: dict, reorder_point: float | None) -> ChartData:
    """Points for the product page chart; the band is the forecast ± 1.96 x the daily error spread."""
    band = 1.96 * forecast.sigma_daily
    points = []
    for offset, value in enumerate(forecast.daily):
        day = forecast.first_day + timedelta(days=offset)
        points.append((day.isoformat(), value, max(value - band, 0.0), value + band))
    return ChartData(
        history=[(day.isoformat(), value) for day, value in sorted(history.items())],
        forecast=points,
        reorder_point=reorder_point,
    )


@dataclass(frozen=True)
class Accuracy:
    """Out-of-sample accuracy of the latest run: every figure comes from the rolling-origin
    backtest on period totals (history only), never from the in-sample fit."""

    series: int
    backtested: int
    beating_naive: int  # beat seasonal naive on the same backtest windows
    beating_moving_average: int  # beat the moving average of the last 4 periods
    beating_both: int
    short_history: int
    wape: float | None  # summed over the backtested series, weighted by their sales
    wape_by_category: list[tuple[str, float | None, int]]  # category name, WAPE, series
    models: list[tuple[str, int]]  # model, series using it
    grains: list[tuple[str, int]]  # grain label, series

    @property
    def beating_naive_share(self) -> float | None:
        return self.beating_naive / self.backtested if self.backtested else None


def forecast_accuracy() -> Accuracy:
    """Counts of backtested series beating seasonal naive, the moving average and both, the mean
    backtest WAPE per category, and the models and grains in use."""
    rows = SeriesForecast.objects.values_list(
        "wape",
        "beats_naive",
        "beats_moving_average",
        "short_history",
        "model",
        "grain",
        "product__category__name",
    )
    series = backtested = beating = beating_average = both = short = 0
    by_category = defaultdict(list)
    models: dict[str, int] = defaultdict(int)
    grains: dict[str, int] = defaultdict(int)
    wapes = []
    for wape, beats_naive, beats_average, is_short, model, grain, category in rows:
        series += 1
        short += is_short
        models[model] += 1
        grains[SeriesForecast.Grain(grain).label if grain in SeriesForecast.Grain.values else grain] += 1
        if beats_naive is not None and beats_average is not None:
            backtested += 1
            beating += beats_naive
            beating_average += beats_average
            both += beats_naive and beats_average
        if wape is not None:
            by_category[category or _("No category")].append(wape)
            wapes.append(wape)
    per_category = sorted(
        ((name, sum(values) / len(values), len(values)) for name, values in by_category.items()),
        key=lambda r: r[0],
    )
    return Accuracy(
        series=series,
        backtested=backtested,
        beating_naive=beating,
        beating_moving_average=beating_average,
        beating_both=both,
        short_history=short,
        wape=sum(wapes) / len(wapes) if wapes else None,
        wape_by_category=per_category,
        models=sorted(models.items(), key=lambda item: (-item[1], item[0])),
        grains=sorted(grains.items()),
    )


def series_forecast_list() -> QuerySet[SeriesForecast]:
    """The latest forecast of every series, with its product and place joined in."""
    return SeriesForecast.objects.select_related("product", "location").order_by("id")


def suggested_order_draft(*, supplier, location):
    """The draft purchase order already made from ``supplier``'s suggestions for ``location``
    (what suggested_order_create would return again), or None."""
    linked = ReorderSuggestion.objects.filter(
        supplier=supplier, location=location, quantity__gt=0, purchase_order__isnull=False
    ).values("purchase_order_id")
    return (
        PurchaseOrder.objects.filter(pk__in=linked, status=PurchaseOrder.Status.DRAFT).order_by("pk").first()
    )
