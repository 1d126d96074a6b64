"""The forecast benchmark's task, loaded into the product's own Celery worker by
`make bench-forecast` (``celery -A config worker --include bench.forecast_support.tasks``): the
engine runs where the button's and the nightly job's runs do, in a prefork child process."""

import multiprocessing
import os
import resource
import time
from datetime import date, timedelta

import numpy as np
from celery import shared_task

from forecasts.engine import (
    HORIZON_DAYS,
    engine_jobs,
    fill_missing,
    forecast_panel,
    lead_time_sigma,
    panel_build,
    replenishment_plan,
)
from forecasts.synthetic import synthetic_rows

END = date(2026, 10, 31)


def _job(first_days, sales, stockouts, days: int):
    """What the job does once the ledger is read: series, engine (as many processes as the job
    would use here), and the replenishment figures of every series."""
    panel = panel_build(
        first_days=first_days, sales=sales, stockout_days=stockouts, end=END, history_days=days
    )
    results = forecast_panel(panel, n_jobs=engine_jobs(len(panel.keys)))
    for result in results:
        sigma = (
            lead_time_sigma(result.errors, 7, result.period_days)
            if not result.short_history
            else result.sigma_daily * 7**0.5
        )
        replenishment_plan(
            forecast=result.forecast,
            sigma_lead=sigma,
            on_hand=10,
            on_order=0,
            lead_time_days=7,
            review_days=7,
            pack_size=6,
            service_level=0.95,
        )
    return panel, results


@shared_task(name="bench.forecast_engine")
def forecast_engine(series: int, days: int) -> dict:
    """Warm-up, then ``series`` synthetic series of ``days`` days through the job's engine; the 8
    weeks after the history are hidden and scored against seasonal naive."""
    started = time.perf_counter()
    first, sales, stockouts, _truth = synthetic_rows(8, days=days, end=END, seed=1)
    _job(first, sales, stockouts, days)
    warmup = time.perf_counter() - started

    first, sales, stockouts, truth = synthetic_rows(
        series, days=days + HORIZON_DAYS, end=END + timedelta(days=HORIZON_DAYS), seed=2
    )
    hidden = [one.demand[-HORIZON_DAYS:] for one in truth]
    del truth
    started, cpu = time.perf_counter(), time.process_time()
    panel, results = _job(first, sales, stockouts, days)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    filled = fill_missing(panel)
    model_error = naive_error = 0.0
    models: dict[str, int] = {}
    for i, result in enumerate(results):
        history = filled[panel.offsets[i] : panel.offsets[i + 1]]
        naive = np.tile(history[-7:], HORIZON_DAYS // 7)
        model_error += float(np.abs(hidden[i] - result.forecast[:HORIZON_DAYS]).sum())
        naive_error += float(np.abs(hidden[i] - naive).sum())
        models[result.model] = models.get(result.model, 0) + 1
    return {
        "series": len(results),
        "elapsed_s": elapsed,
        "cpu_s": cpu,
        "load_average": os.getloadavg()[0],
        "warmup_s": warmup,
        "peak_mb": max(peak_mb, children_mb),
        "wape_ratio_vs_naive": model_error / naive_error,
        "models": models,
        "daemon": multiprocessing.current_process().daemon,
        "n_jobs": engine_jobs(len(results)),
    }
