"""Writes of the forecasts app: the forecast job, run requests, and suggestions turned into orders.

The job reads the workspace's ledger in a few aggregate queries, hands the numbers to
forecasts.engine (no database there) and replaces the previous results in one transaction.
"""

import logging
from datetime import date, datetime, timedelta
from decimal import Decimal

import numpy as np
from celery import current_app
from django.conf import settings as conf
from django.db import IntegrityError, connection, transaction
from django.db.models import Min, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import Perm, require_perm
from core import metrics
from forecasts.engine import (
    HISTORY_DAYS,
    engine_jobs,
    forecast_panel,
    lead_time_sigma,
    panel_build,
    replenishment_plan,
    stockout_days_from_ledger,
)
from forecasts.exceptions import NothingToOrder
from forecasts.models import ForecastRun, ForecastSettings, ReorderSuggestion, SeriesForecast
from inventory.dates import day_start, workspace_timezone, workspace_today
from inventory.models import Location, Product, PurchaseOrder, PurchaseOrderLine, StockMovement, Supplier
from inventory.selectors import quantity_on_order, sales_history, stock_on_hand_map, stock_reserved_map
from inventory.services import PurchaseLineInput, purchase_order_create

logger = logging.getLogger(__name__)

Status = ForecastRun.Status
RUN_TASK = "forecasts.tasks.forecast_run_task"
# A run still queued or running this long after it was asked for lost its worker: it is given up,
# so that it blocks neither new requests nor the next night.
STALE_AFTER = timedelta(hours=2)


def _stalled_before(now: datetime) -> datetime:
    return now - timedelta(seconds=conf.JOB_HEARTBEAT_SECONDS)


def _abandon_stale_runs() -> None:
    forecast_runs_reap_stalled()
    # And, whatever their heartbeat, runs asked for longer ago than any run lasts.
    ForecastRun.objects.filter(
        status__in=ForecastRun.ACTIVE_STATUSES, created_at__lt=timezone.now() - STALE_AFTER
    ).update(
        status=Status.FAILED,
        finished_at=timezone.now(),
        error=_("The forecast did not finish: the background worker was not available. Run it again."),
    )


def forecast_runs_reap_stalled() -> list[int]:
    """Mark failed this workspace's running forecast whose worker stopped: its heartbeat (the
    row's ``updated_at``, written with every step of progress) is older than JOB_HEARTBEAT_SECONDS.
    The previous results stay; the page shows why and offers to run it again. Returns the ids."""
    now = timezone.now()
    stalled = list(
        ForecastRun.objects.filter(status=Status.RUNNING, updated_at__lt=_stalled_before(now)).values_list(
            "pk", flat=True
        )
    )
    reaped = []
    for run_id in stalled:
        if ForecastRun.objects.filter(
            pk=run_id, status=Status.RUNNING, updated_at__lt=_stalled_before(now)
        ).update(
            status=Status.FAILED,
            finished_at=now,
            updated_at=now,
            error=_("The forecast stopped: the background worker was interrupted. Run it again."),
        ):
            metrics.FORECAST_RUNS.labels(outcome="stalled").inc()
            metrics.JOBS_REAPED.labels(kind="forecast").inc()
            logger.warning("forecast run %s stalled (no heartbeat): marked failed", run_id)
            reaped.append(run_id)
    return reaped


def forecast_settings_get() -> ForecastSettings:
    settings, _created = ForecastSettings.objects.get_or_create(id=1)
    return settings


def forecast_run_request(*, user, trigger: str = ForecastRun.Trigger.MANUAL) -> ForecastRun:
    """Queue a forecast run of this workspace, or return the one already queued or running.

    The Celery task is sent once the run is committed; it runs in this workspace's schema.
    """
    if user is not None:
        require_perm(user, Perm.VIEW_FORECASTS)
    _abandon_stale_runs()
    active = ForecastRun.objects.filter(status__in=ForecastRun.ACTIVE_STATUSES).first()
    if active is not None:
        return active
    try:
        with transaction.atomic():
            run = ForecastRun.objects.create(trigger=trigger, requested_by=user)
    except IntegrityError:  # another request queued one in between
        return ForecastRun.objects.filter(status__in=ForecastRun.ACTIVE_STATUSES).first()
    schema_name = connection.schema_name
    transaction.on_commit(lambda: _send_run(schema_name, run.pk))
    return run


def _send_run(schema_name: str, run_id: int) -> None:
    # Sent by name: forecasts.tasks imports this module, never the other way round.
    try:
        current_app.send_task(RUN_TASK, args=(schema_name, run_id))
    except Exception:  # noqa: BLE001 - the broker (Redis) is down or refused the message
        # Never left "queued" for a worker that will not hear of it: failed, with the reason.
        logger.exception("forecast run %s could not be queued", run_id)
        ForecastRun.objects.filter(pk=run_id, status=Status.QUEUED).update(
            status=Status.FAILED,
            finished_at=timezone.now(),
            error=_("The background worker could not be reached. Try again in a few minutes."),
        )


def _progress(run: ForecastRun, fraction: float) -> None:
    percent = min(int(fraction * 100), 99)
    # updated_at is the run's heartbeat (see forecast_runs_reap_stalled).
    ForecastRun.objects.filter(pk=run.pk).update(progress=percent, updated_at=timezone.now())


def _ledger(end: date) -> tuple[dict[tuple[int, int], date], list[tuple]]:
    """(first stock movement day of each product and place, net stock movements per day since the
    history's start): what is known of the stock."""
    tz = workspace_timezone()
    since = end - timedelta(days=HISTORY_DAYS - 1)
    movements = StockMovement.objects.filter(product__in=_forecast_products())
    known_from = {
        (row["product_id"], row["location_id"]): timezone.localtime(row["first"], tz).date()
        for row in movements.values("product_id", "location_id").annotate(first=Min("created_at")).order_by()
    }
    daily = [
        (row["product_id"], row["location_id"], row["day"], float(row["net"]))
        for row in movements.filter(created_at__gte=day_start(since, tz))
        .annotate(day=TruncDate("created_at", tzinfo=tz))
        .values("product_id", "location_id", "day")
        .annotate(net=Sum("quantity"))
        .order_by()
    ]
    return known_from, daily


def _forecast_products():
    return Product.objects.filter(is_active=True, tracks_stock=True).values("pk")


def forecast_run_execute(*, run: ForecastRun | None = None, today: date | None = None) -> ForecastRun:
    """Forecast every series of this workspace and recompute its reorder suggestions.

    Without ``run`` (the nightly job) it takes the run queued from the screen, if any, and does
    nothing while another worker is running one. History ends yesterday (``today`` for tests).
    Results replace the previous run's in one transaction, so a rerun never duplicates, and a
    failed run leaves the previous results.
    """
    if run is None:
        _abandon_stale_runs()
        run = ForecastRun.objects.filter(status__in=ForecastRun.ACTIVE_STATUSES).first()
        if run is not None and run.status == Status.RUNNING:
            return run  # another worker is on it (a stalled one was failed just above)
        run = run or ForecastRun.objects.create(trigger=ForecastRun.Trigger.NIGHTLY, status=Status.RUNNING)
    elif run.status == Status.RUNNING and run.updated_at >= _stalled_before(timezone.now()):
        return run  # a duplicate delivery: the worker that has it is alive
    # Queued, or running without a heartbeat: a task redelivered after its worker died picks the
    # run up again from the start (results are replaced in one transaction at the end).
    end = (today or workspace_today()) - timedelta(days=1)
    ForecastRun.objects.filter(pk=run.pk).update(
        status=Status.RUNNING,
        started_at=timezone.now(),
        updated_at=timezone.now(),
        history_end=end,
        progress=0,
        error="",
    )
    try:
        _execute(run, end)
    except Exception as error:
        logger.exception("forecast run %s failed in %s", run.pk, connection.schema_name)
        ForecastRun.objects.filter(pk=run.pk).update(
            status=Status.FAILED, finished_at=timezone.now(), error=str(error)[:2000]
        )
        metrics.FORECAST_RUNS.labels(outcome="failed").inc()
        raise
    run.refresh_from_db()
    metrics.FORECAST_RUNS.labels(outcome=run.status).inc()
    return run


def _execute(run: ForecastRun, end: date) -> None:
    policy = forecast_settings_get()
    since = end - timedelta(days=HISTORY_DAYS - 1)
    # Demand is what was sold (typed at the point of sale or imported), net of returns: a series
    # is every active stock-holding product at every place where it sold or its stock moved.
    products = set(_forecast_products().values_list("pk", flat=True))
    sales = [
        (row.product_id, row.location_id, row.day, float(row.quantity))
        for row in sales_history(date_from=since, date_to=end)
        if row.product_id in products
    ]
    known_from, movements = _ledger(end)
    first_days: dict[tuple[int, int], date] = {}
    for product_id, location_id, day, _quantity in sales:
        key = (product_id, location_id)
        first_days[key] = min(first_days.get(key, day), day)
    for key, day in known_from.items():
        first_days[key] = min(first_days.get(key, day), day)
    on_hand_now = stock_on_hand_map()
    on_hand = {key: float(value) for key, value in on_hand_now.items()}
    stockouts = stockout_days_from_ledger(
        first_days=first_days, known_from=known_from, movements=movements, on_hand=on_hand, end=end
    )
    panel = panel_build(first_days=first_days, sales=sales, stockout_days=stockouts, end=end)
    _progress(run, 0.1)
    results = forecast_panel(
        panel,
        n_jobs=engine_jobs(len(panel.keys)),
        progress=lambda fraction: _progress(run, 0.1 + 0.8 * fraction),
    )

    products = Product.objects.in_bulk([key[0] for key in panel.keys])
    on_order = quantity_on_order()
    # Held for accepted customer orders (orders app): promised, so no longer in the position.
    committed = stock_reserved_map()
    drafts = {
        (product_id, location_id): order_id
        for product_id, location_id, order_id in PurchaseOrderLine.objects.filter(
            order__status=PurchaseOrder.Status.DRAFT
        ).values_list("product_id", "order__location_id", "order_id")
    }
    service_level = float(policy.service_level)
    forecasts, suggestions = [], []
    for result in results:
        product_id, location_id = result.key
        product = products[product_id]
        forecasts.append(
            SeriesForecast(
                run=run,
                product_id=product_id,
                location_id=location_id,
                demand_class=result.demand_class,
                model=result.model,
                short_history=result.short_history,
                first_day=end + timedelta(days=1),
                daily=[round(float(v), 3) for v in result.forecast],
                sigma_daily=result.sigma_daily,
                grain=result.grain,
                periods_start=result.period_starts[0] if result.period_starts else None,
                periods=[round(float(v), 3) for v in result.periods],
                moving_average_wape=result.ma_wape,
                windows=result.windows,
                beats_naive=result.beats_naive,
                beats_moving_average=result.beats_moving_average,
                wape=result.wape,
                naive_wape=result.naive_wape,
                mase=result.mase,
            )
        )
        lead = product.lead_time_days
        sigma = (
            lead_time_sigma(result.errors, lead, result.period_days)
            if not result.short_history
            else result.sigma_daily * float(np.sqrt(lead))
        )
        plan = replenishment_plan(
            forecast=result.forecast,
            sigma_lead=sigma,
            on_hand=on_hand.get(result.key, 0.0),
            on_order=float(on_order.get(result.key, 0)),
            committed=float(committed.get(result.key, 0)),
            lead_time_days=lead,
            review_days=policy.review_days,
            pack_size=float(product.pack_size),
            service_level=service_level,
            min_stock=float(product.min_stock),
        )
        suggestions.append(
            ReorderSuggestion(
                run=run,
                product_id=product_id,
                location_id=location_id,
                supplier_id=product.preferred_supplier_id,
                on_hand=on_hand_now.get(result.key, Decimal(0)),
                on_order=on_order.get(result.key, Decimal(0)),
                committed=committed.get(result.key, Decimal(0)),
                lead_time_days=lead,
                review_days=policy.review_days,
                service_level=policy.service_level,
                demand_lead=plan.demand_lead,
                sigma_lead=plan.sigma_lead,
                safety_stock=plan.safety_stock,
                reorder_point=plan.reorder_point,
                order_up_to=plan.order_up_to,
                pack_size=product.pack_size,
                packs=plan.packs,
                quantity=product.pack_size * plan.packs,
                purchase_order_id=drafts.get(result.key) if plan.packs else None,
            )
        )
    _progress(run, 0.95)
    with transaction.atomic():
        SeriesForecast.objects.all().delete()
        ReorderSuggestion.objects.all().delete()
        SeriesForecast.objects.bulk_create(forecasts, batch_size=2000)
        ReorderSuggestion.objects.bulk_create(suggestions, batch_size=2000)
        ForecastRun.objects.filter(pk=run.pk).update(
            status=Status.DONE, progress=100, finished_at=timezone.now(), series_count=len(forecasts)
        )


def suggested_order_create(*, supplier: Supplier, location: Location, user) -> PurchaseOrder:
    """Turn ``supplier``'s suggestions for ``location`` into one draft purchase order.

    Clicking again returns the same draft: the suggestions keep the order they went into, and the
    next run links them to any draft that still holds their product. Raises NothingToOrder when
    there is nothing to order.
    """
    require_perm(user, Perm.MANAGE_SUPPLIER_INVOICES)
    with transaction.atomic():
        suggestions = list(
            ReorderSuggestion.objects.select_for_update()
            .select_related("product")
            .filter(supplier=supplier, location=location, quantity__gt=0)
            .order_by("pk")
        )
        linked = {s.purchase_order_id for s in suggestions if s.purchase_order_id}
        draft = (
            PurchaseOrder.objects.filter(pk__in=linked, status=PurchaseOrder.Status.DRAFT)
            .order_by("pk")
            .first()
        )
        if draft is not None:
            return draft
        pending = [s for s in suggestions if s.purchase_order_id is None]
        if not pending:
            raise NothingToOrder(
                _("There is nothing to order from %(supplier)s.") % {"supplier": supplier.name}
            )
        order = purchase_order_create(
            supplier=supplier,
            location=location,
            user=user,
            lines=[PurchaseLineInput(product=s.product, quantity=s.quantity) for s in pending],
            internal_note=_("Suggested by the demand forecast."),
        )
        ReorderSuggestion.objects.filter(pk__in=[s.pk for s in pending]).update(purchase_order=order)
    return order
