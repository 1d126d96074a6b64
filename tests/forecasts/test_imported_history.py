"""A business that brings only its sales history (imported, no stock) gets forecasts on the first
run, in the grain of its data, with out-of-sample accuracy and sensible suggestions."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from forecasts.models import ReorderSuggestion, SeriesForecast
from forecasts.services import forecast_run_execute, forecast_run_request
from inventory.dates import workspace_today
from inventory.imports.services import import_job_create, import_job_run, import_job_start
from inventory.models import ImportJob, Product
from tests.inventory.factories import LocationFactory


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def import_file(owner, kind, text: str, location=None) -> ImportJob:
    job = import_job_create(
        user=owner,
        kind=kind,
        file=SimpleUploadedFile("history.csv", text.encode()),
        default_location=location,
    )
    job = import_job_start(job=job, user=owner, dry_run=False)
    if job.status == ImportJob.Status.QUEUED:
        job = import_job_run(job_id=job.pk)  # what the worker runs
    assert job.status == ImportJob.Status.DONE, job.errors[:3]
    return job


def weekly_history(weeks: int, *, locations, skus) -> str:
    """One row a week (on Mondays) per product and store: units 10, 14, 10, 14, ..."""
    today = workspace_today()
    last_monday = today - timedelta(days=today.weekday() + 7)
    rows = ["Fecha,Código,Cantidad,Precio,Sucursal"]
    for k in range(weeks):
        day = last_monday - timedelta(weeks=weeks - 1 - k)
        for n, sku in enumerate(skus):
            for location in locations:
                rows.append(f"{day.isoformat()},{sku},{10 + 4 * (k % 2) + n},100,{location.name}")
    return "\n".join(rows) + "\n"


def run_as_the_button_does(owner):
    run = forecast_run_request(user=owner)
    return forecast_run_execute(run=run)


def test_an_imported_weekly_history_alone_gives_forecasts_for_every_series(owner):
    north, south = LocationFactory(name="Norte"), LocationFactory(name="Sur")
    import_file(
        owner, ImportJob.Kind.SALES_HISTORY, weekly_history(60, locations=[north, south], skus=["A-1", "B-2"])
    )
    Product.objects.filter(sku="A-1").update(lead_time_days=7)

    run = run_as_the_button_does(owner)

    assert run.series_count == 4
    forecasts = list(SeriesForecast.objects.order_by("product__sku", "location__name"))
    assert {(f.product.sku, f.location.name) for f in forecasts} == {
        ("A-1", "Norte"),
        ("A-1", "Sur"),
        ("B-2", "Norte"),
        ("B-2", "Sur"),
    }
    for forecast in forecasts:
        assert forecast.grain == SeriesForecast.Grain.WEEK and not forecast.short_history
        assert forecast.windows == 6 and forecast.wape is not None
        assert forecast.beats_naive is not None and forecast.beats_moving_average is not None
        # 10 and 14 alternating (11 and 15 for the second product): never zero, never wild.
        assert 9.9 <= sum(forecast.daily[:7]) <= 15.1
        assert len(forecast.periods) == 8 and forecast.periods_start == workspace_today()
    suggestion = ReorderSuggestion.objects.get(product__sku="A-1", location=north)
    forecast = SeriesForecast.objects.get(product__sku="A-1", location=north)
    # A week of lead time is one weekly period: its demand is the first week's forecast, and its
    # safety stock comes from the weekly backtest errors (10 and 14 alternate: never exact).
    assert suggestion.demand_lead == pytest.approx(forecast.periods[0], abs=0.01)
    assert suggestion.sigma_lead > 0 and suggestion.safety_stock > 0
    # Nothing on hand was ever recorded: order up to the lead time and the review period's demand.
    assert suggestion.quantity >= suggestion.demand_lead + sum(forecast.daily[7:14])


def test_history_before_the_opening_stock_is_not_read_as_stockouts(owner):
    store = LocationFactory(name="Centro")
    import_file(owner, ImportJob.Kind.SALES_HISTORY, weekly_history(40, locations=[store], skus=["C-3"]))
    # Counted today: 30 on hand. Every history day before it had no stock record.
    import_file(owner, ImportJob.Kind.OPENING_STOCK, "sku,quantity,location\nC-3,30,Centro\n")

    run_as_the_button_does(owner)

    forecast = SeriesForecast.objects.get(product__sku="C-3")
    assert not forecast.short_history and forecast.windows == 6
    assert 9 <= sum(forecast.daily[:7]) <= 15


def test_a_monthly_history_is_forecast_in_months(owner):
    store = LocationFactory(name="Depósito")
    today = workspace_today()
    first_of_month = date(today.year, today.month, 1)
    rows = ["date,sku,quantity"]
    for k in range(30, 0, -1):
        index = first_of_month.year * 12 + first_of_month.month - 1 - k
        month = date(index // 12, index % 12 + 1, 1)
        rows.append(f"{month.isoformat()},REP-{1},{20 + (k % 3) * 5}")
        if k % 4 == 0:
            rows.append(f"{month.isoformat()},REP-2,3")
    import_file(owner, ImportJob.Kind.SALES_HISTORY, "\n".join(rows) + "\n", location=store)

    run_as_the_button_does(owner)

    steady = SeriesForecast.objects.get(product__sku="REP-1")
    assert steady.grain == SeriesForecast.Grain.MONTH and steady.windows >= 2
    assert 15 <= steady.periods[0] <= 35 and len(steady.periods) == 6
    # A slow mover with a sale every fourth month keeps the workspace's monthly grain.
    slow = SeriesForecast.objects.get(product__sku="REP-2")
    assert slow.grain == SeriesForecast.Grain.MONTH
    assert Product.objects.filter(sku__in=["REP-1", "REP-2"]).count() == 2
