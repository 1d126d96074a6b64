"""Forecast jobs: the nightly fan-out over workspaces (staggered) and one workspace's run."""

import logging

from celery import current_app, shared_task
from django_tenants.utils import schema_context

from forecasts.models import ForecastRun
from forecasts.services import RUN_TASK, forecast_run_execute, forecast_runs_reap_stalled
from tenants.selectors import tenant_list_active

logger = logging.getLogger(__name__)

# Seconds between two workspaces' nightly runs, so that they do not all start at once.
STAGGER_SECONDS = 30


@shared_task
def forecast_nightly_fan_out(stagger_seconds: int = STAGGER_SECONDS) -> list[str]:
    """Send one forecast run per active workspace on a plan with forecasts, ``stagger_seconds``
    apart. Each is a separate task: one workspace's failure does not stop the others."""
    schemas = list(
        tenant_list_active()
        .filter(plan__has_forecasts=True)
        .order_by("pk")
        .values_list("schema_name", flat=True)
    )
    for position, schema_name in enumerate(schemas):
        with schema_context(schema_name):
            current_app.send_task(
                RUN_TASK,
                args=(schema_name, None),
                countdown=position * stagger_seconds,
            )
    return schemas


# Acknowledged when done: if the worker dies mid-run the broker hands the task to another worker,
# which picks the run up again once its heartbeat has stopped.
@shared_task(acks_late=True, reject_on_worker_lost=True)
def forecast_run_task(schema_name: str, run_id: int | None = None) -> dict:
    """Run the forecast of one workspace (the run ``run_id`` requested from the screen, or a
    nightly one). Safe to run twice: a run already finished is left alone, and a rerun replaces
    the previous results."""
    with schema_context(schema_name):
        run = None
        if run_id is not None:
            run = ForecastRun.objects.filter(pk=run_id).first()
            if run is None or run.status in (ForecastRun.Status.DONE, ForecastRun.Status.FAILED):
                return {"schema": schema_name, "run": run_id, "status": run.status if run else None}
        run = forecast_run_execute(run=run)
        return {"schema": schema_name, "run": run.pk, "status": run.status, "series": run.series_count}


@shared_task
def reap_stalled_forecast_runs() -> list[int]:
    """Beat, per workspace (tenants.tasks.for_each_active_tenant): fail the forecast runs whose
    worker stopped, so none stays "running" and blocks the next one."""
    return forecast_runs_reap_stalled()
