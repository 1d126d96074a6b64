"""`make bench-forecast-accuracy`: the product's forecasts on real sales, beside simple rules.

The product's own path, end to end, on two real data sets in tests/fixtures/data (see ORIGIN.txt):
each history (without its last periods) is imported through the sales-history import service as
an owner would (``import_job_create`` / ``import_job_start``, then ``import_job_run`` as the
Celery task calls it), a forecast run is requested as the button does (``forecast_run_request``)
and executed by the service the task calls (``forecast_run_execute``, with the history ending on
the day before the held-out periods), and the forecasts are read back from the database
(``SeriesForecast.periods``). In its own database (bench_forecast_accuracy, dropped at the end).

- Car parts (carparts_monthly.csv.gz, 2,674 intermittent monthly SKUs, 1998-01 .. 2002-03): the
  last 6 months are held out. The file's "series,month,units" rows become one sales-history row
  per month with units sold, dated the 1st (a sales export lists no zero months).
- UCI Online Retail 40,000-row sample (uci_online_retail_40k_row_sample.csv.gz): the last 8 weeks
  (2011-10-15 .. 2011-12-09) are held out; the file is imported as it is (returns included). It is
  a 7.4 % row sample, so its series are thin and intermittent.

Cells: every product x location the product forecast, and each held-out month (car parts) or week
(UCI). Actuals: units sold in that period, net of returns, days floored at 0 as the product reads
demand. Baselines, on the same cells, from the same history (zeros before a product's first sale):
naive (the last period; for UCI's daily sales, the last day x 7), seasonal naive (the same month a
year earlier; for UCI, the same weekdays of the last week: last week's total, as there is no year
of history), and the moving average of the last 4 periods. WAPE = sum|error| / sum(actual) over
all cells; MASE = mean over series of (mean absolute error / in-sample mean absolute one-step
naive error at the same grain), series with a zero denominator left out. ``*_ratio_to_best``
divides the product's figure by the best baseline's (below 1: better than every simple rule).
``*_zero_forecast_wape`` (always 1.000) is context, not a baseline: on such intermittent cells a
forecast of nothing scores a lower WAPE than any rule that forecasts sales, so WAPE and MASE alone
reward under-forecasting; the product is chosen on period errors plus the lead-time total.
"""

import sys
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
from own_database import run_inner  # bench/own_database: the throwaway database

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "fixtures" / "data"
BENCH_DB = "bench_forecast_accuracy"
CARPARTS_HOLDOUT_MONTHS = 6
UCI_HOLDOUT_WEEKS = 8
MA_PERIODS = 4


def carparts_history() -> tuple[pd.DataFrame, list[str], date]:
    """(monthly units per series and month, the held-out months, the first held-out day)."""
    rows = pd.read_csv(DATA / "carparts_monthly.csv.gz", dtype={"series": str, "month": str})
    months = sorted(rows["month"].unique())
    held_out = months[-CARPARTS_HOLDOUT_MONTHS:]
    cut = date.fromisoformat(held_out[0] + "-01")
    return rows, held_out, cut


def carparts_csv(rows: pd.DataFrame, held_out: list[str]) -> bytes:
    sold = rows[(rows["units"] > 0) & ~rows["month"].isin(held_out)]
    lines = ["date,sku,quantity"]
    lines += [
        f"{m}-01,P{s},{int(u)}" for s, m, u in zip(sold["series"], sold["month"], sold["units"], strict=True)
    ]
    return ("\n".join(lines) + "\n").encode()


def uci_history() -> tuple[pd.DataFrame, bytes, date, date]:
    """(net units per StockCode and day, the file without its last 8 weeks, first and last
    held-out day)."""
    path = DATA / "uci_online_retail_40k_row_sample.csv.gz"
    rows = pd.read_csv(path, dtype={"StockCode": str, "InvoiceNo": str, "CustomerID": str})
    rows["day"] = pd.to_datetime(rows["InvoiceDate"]).dt.date
    last = rows["day"].max()
    cut = last - timedelta(days=7 * UCI_HOLDOUT_WEEKS - 1)
    training = rows[rows["day"] < cut].drop(columns=["day"])
    daily = rows.groupby(["StockCode", "day"], as_index=False)["Quantity"].sum()
    return daily, training.to_csv(index=False).encode(), cut, last


def scores(actual: np.ndarray, predicted: np.ndarray, scale: np.ndarray) -> tuple[float, float]:
    """(WAPE over every cell, mean MASE over the series with a non-zero scale)."""
    error = np.abs(actual - predicted)
    wape = float(error.sum() / actual.sum())
    keep = scale > 0
    mase = float((error[keep].mean(axis=1) / scale[keep]).mean())
    return wape, mase


def in_sample_scale(history: np.ndarray) -> np.ndarray:
    return np.abs(np.diff(history, axis=1)).mean(axis=1)


def honesty(name: str, beats: list, actual, product, seasonal, moving) -> list[str]:
    """The accuracy screen's claim (backtest: series beating both simple rules) beside what the
    held-out periods show for the same series (lower absolute error than both)."""
    backtested = np.array([b[0] is not None for b in beats])
    screen = sum(bool(b[0] and b[1]) for b in beats if b[0] is not None)
    error = np.abs(actual - product).sum(axis=1)
    held_out = (error < np.abs(actual - seasonal).sum(axis=1)) & (error < np.abs(actual - moving).sum(axis=1))
    count = int(backtested.sum())
    print(
        f"{name}: screen says {screen} of {count} beat both; held out, {int(held_out[backtested].sum())} do"
    )
    return [
        f"{name}_screen_beats_both: {screen} series",
        f"{name}_heldout_beats_both: {int(held_out[backtested].sum())} series",
        f"{name}_backtested: {count} series",
    ]


def report(name: str, figures: dict[str, tuple[float, float]], cells: int, series: int) -> list[str]:
    product_wape, product_mase = figures["product"]
    baselines = {k: v for k, v in figures.items() if k != "product"}
    best_wape = min(w for w, _m in baselines.values())
    best_mase = min(m for _w, m in baselines.values())
    print(f"{name}: {series} series, {cells} cells", flush=True)
    for method, (w, m) in figures.items():
        print(f"  {method:<16} WAPE {w:.3f}  MASE {m:.3f}", flush=True)
    lines = [f"{name}_series: {series} series", f"{name}_cells: {cells} cells"]
    for method, (w, m) in figures.items():
        lines.append(f"{name}_{method}_wape: {w:.3f}")
        lines.append(f"{name}_{method}_mase: {m:.3f}")
    lines.append(f"{name}_wape_ratio_to_best: {product_wape / best_wape:.3f}")
    lines.append(f"{name}_mase_ratio_to_best: {product_mase / best_mase:.3f}")
    return lines


def inner() -> None:
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django_tenants.utils import schema_context

    from accounts.models import User
    from forecasts.models import SeriesForecast
    from forecasts.services import forecast_run_execute, forecast_run_request
    from inventory.imports.services import import_job_create, import_job_run, import_job_start
    from inventory.models import ImportJob, Location
    from tenants.services import platform_ensure, tenant_create

    call_command("migrate_schemas", verbosity=0)
    platform_ensure()

    def product_path(slug: str, data: bytes, name: str, cut: date) -> dict[str, dict]:
        """Import ``data`` into a new workspace, run its forecast with history up to the day
        before ``cut``, return {sku: stored forecast fields}."""
        tenant = tenant_create(
            slug=slug,
            name=slug,
            owner_email=f"owner@{slug}.test",
            owner_password=None,
            plan_code="enterprise",
        )
        with schema_context(tenant.schema_name):
            owner = User.objects.get(email=f"owner@{slug}.test")
            store = Location.objects.create(name="Depósito")
            started = time.perf_counter()
            job = import_job_create(
                user=owner,
                kind=ImportJob.Kind.SALES_HISTORY,
                file=SimpleUploadedFile(name, data),
                default_location=store,
            )
            job = import_job_start(job=job, user=owner, dry_run=False)
            if job.status == ImportJob.Status.QUEUED:
                job = import_job_run(job_id=job.pk)  # what the Celery task calls
            assert job.status == ImportJob.Status.DONE, job.errors[:3]
            print(f"{slug}: imported {job.counts} in {time.perf_counter() - started:.1f} s", flush=True)
            started = time.perf_counter()
            run = forecast_run_request(user=owner)  # the button
            run = forecast_run_execute(run=run, today=cut)  # what the task runs, history to cut - 1
            elapsed = time.perf_counter() - started
            print(f"{slug}: run {run.status}, {run.series_count} series in {elapsed:.1f} s", flush=True)
            stored = {
                f.product.sku: {
                    "grain": f.grain,
                    "start": f.periods_start,
                    "periods": f.periods,
                    "model": f.model,
                    "short": f.short_history,
                    "beats": (f.beats_naive, f.beats_moving_average),
                }
                for f in SeriesForecast.objects.select_related("product")
            }
            models: dict[str, int] = {}
            for f in stored.values():
                models[f["model"]] = models.get(f["model"], 0) + 1
            backtested = [f["beats"] for f in stored.values() if f["beats"][0] is not None]
            print(
                f"{slug}: models chosen: " + ", ".join(f"{k} {v}" for k, v in sorted(models.items())),
                flush=True,
            )
            print(
                f"{slug}: accuracy screen (backtest): {sum(b[0] for b in backtested)} of {len(backtested)} "
                f"beat seasonal naive, {sum(b[1] for b in backtested)} the moving average, "
                f"{sum(b[0] and b[1] for b in backtested)} both; "
                f"{sum(f['short'] for f in stored.values())} with too little history",
                flush=True,
            )
        return stored

    lines: list[str] = []

    # Car parts, monthly.
    rows, held_out, cut = carparts_history()
    stored = product_path("bench-carparts", carparts_csv(rows, held_out), "carparts.csv", cut)
    table = rows.pivot(index="series", columns="month", values="units")
    months = list(table.columns)
    training = table[[m for m in months if m not in held_out]].fillna(0).to_numpy(dtype=float)
    actual_all = table[held_out].to_numpy(dtype=float)
    skus = [f"P{s}" for s in table.index]
    keep = np.array([sku in stored and not np.isnan(actual_all[n]).any() for n, sku in enumerate(skus)])
    assert all(stored[s]["start"] == cut for s in np.array(skus)[keep] if stored[s]["grain"] == "month")
    product = np.array([stored[s]["periods"][:CARPARTS_HOLDOUT_MONTHS] for s in np.array(skus)[keep]])
    history, actual = training[keep], actual_all[keep]
    h = CARPARTS_HOLDOUT_MONTHS
    naive = np.repeat(history[:, -1:], h, axis=1)
    seasonal = history[:, -12 : -12 + h]
    moving = np.repeat(history[:, -MA_PERIODS:].mean(axis=1, keepdims=True), h, axis=1)
    scale = in_sample_scale(history)
    figures = {
        "product": scores(actual, product, scale),
        "naive": scores(actual, naive, scale),
        "seasonal_naive": scores(actual, seasonal, scale),
        "moving_average": scores(actual, moving, scale),
    }
    lines += [f"carparts_zero_forecast_wape: {scores(actual, 0 * naive, scale)[0]:.3f}"]
    lines += report("carparts", figures, int(actual.size), int(keep.sum()))
    beats = [stored[sku]["beats"] for sku in np.array(skus)[keep]]
    lines += honesty("carparts", beats, actual, product, seasonal, moving)

    # UCI Online Retail sample, daily sales, 8 weeks held out.
    daily, data, cut, last = uci_history()
    stored = product_path("bench-uci", data, "online_retail.csv", cut)
    first_day = daily["day"].min()
    days = (last - first_day).days + 1
    codes = sorted(stored)
    index = {code: n for n, code in enumerate(codes)}
    matrix = np.zeros((len(codes), days))
    known = daily[daily["StockCode"].isin(index)]
    np.add.at(
        matrix,
        (known["StockCode"].map(index).to_numpy(), [(d - first_day).days for d in known["day"]]),
        known["Quantity"].to_numpy(dtype=float),
    )
    matrix = np.maximum(matrix, 0.0)  # a day with more returns than sales is no negative demand
    split = (cut - first_day).days
    history_days, future_days = matrix[:, :split], matrix[:, split:]
    h = UCI_HOLDOUT_WEEKS
    actual = future_days.reshape(len(codes), h, 7).sum(axis=2)
    whole_weeks = split // 7
    history = history_days[:, split - 7 * whole_weeks :].reshape(len(codes), whole_weeks, 7).sum(axis=2)
    assert all(stored[c]["start"] == cut for c in codes)
    product = np.array([stored[c]["periods"][:h] for c in codes])
    naive = np.repeat(history_days[:, -1:] * 7, h, axis=1)
    seasonal = np.repeat(history[:, -1:], h, axis=1)
    moving = np.repeat(history[:, -MA_PERIODS:].mean(axis=1, keepdims=True), h, axis=1)
    scale = in_sample_scale(history)
    figures = {
        "product": scores(actual, product, scale),
        "naive": scores(actual, naive, scale),
        "seasonal_naive": scores(actual, seasonal, scale),
        "moving_average": scores(actual, moving, scale),
    }
    lines += [f"uci_zero_forecast_wape: {scores(actual, 0 * naive, scale)[0]:.3f}"]
    lines += report("uci", figures, int(actual.size), len(codes))
    lines += honesty("uci", [stored[c]["beats"] for c in codes], actual, product, seasonal, moving)

    print()
    for line in lines:
        print(line)


def main() -> int:
    return run_inner(script=__file__, database=BENCH_DB, redis_dbs=(14, 14), timeout=1800, own_media=True)


if __name__ == "__main__":
    if "--inner" in sys.argv:
        inner()
    else:
        sys.exit(main())
