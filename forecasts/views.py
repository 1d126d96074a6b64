"""The forecast screens: suggestions by supplier (one click to a draft order), a run on demand with
its progress, the accuracy overview, and a product's chart. Owners and admins, on plans with
forecasts."""

from datetime import date, timedelta
from functools import wraps

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import Perm, permission_required_view
from core.http import id_or_404
from forecasts.exceptions import NothingToOrder
from forecasts.models import ReorderSuggestion
from forecasts.selectors import (
    forecast_accuracy,
    forecast_chart,
    forecast_run_active,
    forecast_run_latest,
    series_forecast_get,
    suggestion_explanation,
    suggestions_by_supplier,
)
from forecasts.services import forecast_run_request, suggested_order_create
from inventory.models import Location, Product, Supplier
from inventory.selectors import sales_history
from tenants.selectors import tenant_current

CHART_HISTORY_DAYS = 112
CHART_WIDTH, CHART_HEIGHT = 720, 240
CHART_LEFT, CHART_BOTTOM = 44, 24  # room for the axes' labels


def plan_with_forecasts(view):
    """The workspace's plan must include forecasts; otherwise a page that says so (403)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        tenant = tenant_current()
        if tenant is None or tenant.plan is None or not tenant.plan.has_forecasts:
            return render(request, "forecasts/upgrade.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped


@permission_required_view(Perm.VIEW_FORECASTS)
@plan_with_forecasts
@require_GET
def suggestion_list(request):
    groups = suggestions_by_supplier()
    for group in groups:
        for suggestion in group.suggestions:
            suggestion.explanation = suggestion_explanation(suggestion)
    return render(
        request,
        "forecasts/suggestions.html",
        {"groups": groups, "run": forecast_run_latest(), "active": forecast_run_active()},
    )


@permission_required_view(Perm.MANAGE_SUPPLIER_INVOICES)
@plan_with_forecasts
@require_POST
def suggestion_order(request):
    """One click: the supplier's suggestions for one place become a draft purchase order."""
    supplier = get_object_or_404(Supplier, pk=id_or_404(request.POST.get("supplier")))
    location = get_object_or_404(Location, pk=id_or_404(request.POST.get("location")))
    try:
        order = suggested_order_create(supplier=supplier, location=location, user=request.user)
    except NothingToOrder as error:
        messages.error(request, str(error))
        return redirect("forecasts:suggestions")
    messages.success(request, _("Draft purchase order %(number)s is ready.") % {"number": order.number})
    return redirect("forecasts:suggestions")


@permission_required_view(Perm.VIEW_FORECASTS)
@plan_with_forecasts
@require_POST
def run_start(request):
    forecast_run_request(user=request.user)
    return redirect("forecasts:suggestions")


@permission_required_view(Perm.VIEW_FORECASTS)
@plan_with_forecasts
@require_GET
def run_progress(request):
    """The progress bar's source: the latest run's status and percentage."""
    run = forecast_run_latest()
    if run is None:
        return JsonResponse({"status": None, "progress": 0})
    return JsonResponse({"status": run.status, "progress": run.progress, "series": run.series_count})


@permission_required_view(Perm.VIEW_FORECASTS)
@plan_with_forecasts
@require_GET
def accuracy(request):
    return render(
        request, "forecasts/accuracy.html", {"accuracy": forecast_accuracy(), "run": forecast_run_latest()}
    )


def _scale(values, low, high, size, flip=False):
    span = (high - low) or 1.0
    return [round((size - (v - low) / span * size) if flip else (v - low) / span * size, 1) for v in values]


@permission_required_view(Perm.VIEW_FORECASTS)
@plan_with_forecasts
@require_GET
def product_chart(request, product_id: int, location_id: int):
    """History, forecast with its band and the reorder point, as an inline SVG."""
    product = get_object_or_404(Product, pk=id_or_404(product_id))
    location = get_object_or_404(Location, pk=id_or_404(location_id))
    forecast = series_forecast_get(product_id=product.pk, location_id=location.pk)
    context = {"product": product, "location": location, "forecast": forecast}
    if forecast is not None:
        end = forecast.first_day - timedelta(days=1)
        start = end - timedelta(days=CHART_HISTORY_DAYS - 1)
        sold = {
            row.day: float(row.quantity)
            for row in sales_history(
                date_from=start, date_to=end, product_ids=[product.pk], location=location
            )
        }
        history = {
            start + timedelta(days=d): sold.get(start + timedelta(days=d), 0.0)
            for d in range(CHART_HISTORY_DAYS)
        }
        suggestion = ReorderSuggestion.objects.filter(product=product, location=location).first()
        chart = forecast_chart(forecast=forecast, history=history, reorder_point=None)
        days = len(chart.history) + len(chart.forecast)
        top = max([v for _, v in chart.history] + [p[3] for p in chart.forecast] + [1.0])
        xs = _scale(range(days), 0, days - 1, CHART_WIDTH)
        ys_history = _scale([v for _, v in chart.history], 0, top, CHART_HEIGHT, flip=True)
        f_xs = xs[len(chart.history) :]
        ys_forecast = _scale([p[1] for p in chart.forecast], 0, top, CHART_HEIGHT, flip=True)
        ys_low = _scale([p[2] for p in chart.forecast], 0, top, CHART_HEIGHT, flip=True)
        ys_high = _scale([p[3] for p in chart.forecast], 0, top, CHART_HEIGHT, flip=True)
        # Axes a reader can check: units per day at 0, half and the top; a date every four weeks,
        # the first forecast day and the last one.
        dates = [date.fromisoformat(day) for day, *_ in [*chart.history, *chart.forecast]]
        tick_days = sorted({*range(0, len(chart.history), 28), len(chart.history), days - 1})
        x_ticks = [(xs[d], dates[d], d == len(chart.history)) for d in tick_days if d < days]
        y_values = [0.0, top / 2, top]
        y_ticks = list(zip(_scale(y_values, 0, top, CHART_HEIGHT, flip=True), y_values, strict=True))
        # The reorder point is a stock level, not a daily demand: drawn on its own right-hand scale.
        context.update(
            {
                "width": CHART_WIDTH,
                "height": CHART_HEIGHT,
                "frame_width": CHART_WIDTH + CHART_LEFT + 8,
                "frame_height": CHART_HEIGHT + CHART_BOTTOM + 8,
                "left": CHART_LEFT,
                "x_ticks": x_ticks,
                "y_ticks": [(y, round(value, 1)) for y, value in y_ticks],
                "history_points": " ".join(f"{x},{y}" for x, y in zip(xs, ys_history, strict=False)),
                "forecast_points": " ".join(f"{x},{y}" for x, y in zip(f_xs, ys_forecast, strict=True)),
                "band_points": " ".join(
                    [f"{x},{y}" for x, y in zip(f_xs, ys_high, strict=True)]
                    + [f"{x},{y}" for x, y in zip(reversed(f_xs), reversed(ys_low), strict=True)]
                ),
                "suggestion": suggestion,
                "reorder_y": (
                    _scale(
                        [suggestion.reorder_point],
                        0,
                        max(suggestion.order_up_to, 1.0),
                        CHART_HEIGHT,
                        flip=True,
                    )[0]
                    if suggestion
                    else None
                ),
                "explanation": suggestion_explanation(suggestion) if suggestion else "",
            }
        )
    return render(request, "forecasts/chart.html", context)
