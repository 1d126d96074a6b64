"""`make bench-forecast`: the nightly forecast job's engine on 10,000 synthetic series.

10,000 product-location series of 730 days (60 % intermittent slow movers, 20 % trending, 20 %
seasonal; a fifth with a stockout episode) go through what the job does after reading the
ledger: series built from sales rows, backtest and model choice per series, final forecasts, and
the replenishment figures of every series. The database is left out (the job reads sales in two
aggregate queries and writes results with bulk inserts).

Figures, printed last:
- forecast_warmup_s: importing statsforecast and a first fit on a handful of series (statsforecast
  2.1.1 needs no numba, so there is no JIT compilation; this is import and first-call cost).
- forecast_10k_s: the 10,000-series run after the warm-up.
- forecast_peak_mb: peak resident memory of this process and its worker processes.
- forecast_wape_ratio_vs_naive: the engine's forecasts against seasonal naive on the 8 weeks that
  follow the history (hidden from the engine): total absolute error of the chosen models divided by
  that of seasonal naive, over all series (below 1 is better).
- forecast_real_wape_ratio_vs_naive, forecast_real_series: the same ratio on real sales, the UCI
  "Online Retail" 40,000-row sample (tests/fixtures/data): daily net demand (sales minus returns and
  cancellations, floored at 0 by the engine) per StockCode over the whole shop, for the 200 product
  codes with the most net units among those sold on at least 20 days of the history; the last 8
  weeks of the file (2011-10-15 .. 2011-12-09) are hidden and the engine runs on what precedes
  them. The file is a 7.4 % row sample, so these series are thinned and intermittent: a check on
  real demand patterns, not a measure of accuracy on a full shop's data.
"""

import resource
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from forecasts.engine import (
    HORIZON_DAYS,
    SEASON_DAYS,
    fill_missing,
    forecast_panel,
    lead_time_sigma,
    panel_build,
    replenishment_plan,
)
from forecasts.synthetic import synthetic_rows

SERIES = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
DAYS = 730
END = date(2026, 10, 31)
REAL_DATA = str(
    Path(__file__).resolve().parents[1]
    / "tests"
    / "fixtures"
    / "data"
    / "uci_online_retail_40k_row_sample.csv.gz"
)
REAL_SERIES = 200
REAL_MIN_SALE_DAYS = 20


def peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def run(first_days, sales, stockouts, end):
    panel = panel_build(
        first_days=first_days, sales=sales, stockout_days=stockouts, end=end, history_days=DAYS
    )
    results = forecast_panel(panel, n_jobs=2)
    for result in results:
        sigma = lead_time_sigma(result.errors, 7)
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


def real_ratio() -> tuple[float, int]:
    """Engine WAPE over seasonal naive WAPE on the last 8 weeks of the UCI sample (see above)."""
    rows = pd.read_csv(REAL_DATA, usecols=["StockCode", "Quantity", "InvoiceDate"], dtype={"StockCode": str})
    rows = rows[rows["StockCode"].str.match(r"^\d")]  # product codes; not POST, DOT, M, D, fees
    rows = rows.assign(day=pd.to_datetime(rows["InvoiceDate"]).dt.date)
    daily = rows.groupby(["StockCode", "day"], as_index=False)["Quantity"].sum()
    last = daily["day"].max()
    end = last - timedelta(days=HORIZON_DAYS)  # last day the engine sees
    history = daily[daily["day"] <= end]
    sold = history[history["Quantity"] > 0]
    stats = sold.groupby("StockCode").agg(days=("day", "nunique"))
    stats["units"] = history.groupby("StockCode")["Quantity"].sum()
    chosen = stats[stats["days"] >= REAL_MIN_SALE_DAYS].sort_values("units", ascending=False)
    codes = chosen.index[:REAL_SERIES].tolist()
    ids = {code: n for n, code in enumerate(codes)}
    daily = daily[daily["StockCode"].isin(ids)]
    first_seen = rows[rows["StockCode"].isin(ids)].groupby("StockCode")["day"].min()
    first = {(ids[code], 1): day for code, day in first_seen.items()}
    sales = pd.DataFrame(
        {
            "product_id": daily["StockCode"].map(ids),
            "location_id": 1,
            "day": daily["day"],
            "quantity": daily["Quantity"],
        }
    )
    no_stockouts: list[tuple[int, int, date]] = []
    panel = panel_build(first_days=first, sales=sales, stockout_days=no_stockouts, end=end, history_days=DAYS)
    full = panel_build(first_days=first, sales=sales, stockout_days=no_stockouts, end=last, history_days=DAYS)
    results = forecast_panel(panel, n_jobs=2)
    filled = fill_missing(panel)
    model_error = naive_error = 0.0
    for i, result in enumerate(results):
        actual = full.series(i)[-HORIZON_DAYS:]
        history_i = filled[panel.offsets[i] : panel.offsets[i + 1]]
        naive = np.tile(history_i[-SEASON_DAYS:], HORIZON_DAYS // SEASON_DAYS)
        model_error += float(np.abs(actual - result.forecast).sum())
        naive_error += float(np.abs(actual - naive).sum())
    models: dict[str, int] = {}
    for result in results:
        models[result.model] = models.get(result.model, 0) + 1
    print(
        f"real data: {len(codes)} series, history to {end}, hidden {end + timedelta(days=1)} .. {last}; "
        "models chosen: " + ", ".join(f"{k} {v}" for k, v in sorted(models.items())),
        flush=True,
    )
    return model_error / naive_error, len(codes)


def main() -> None:
    started = time.perf_counter()
    first, sales, stockouts, _ = synthetic_rows(8, days=DAYS, end=END, seed=1)
    run(first, sales, stockouts, END)
    warmup = time.perf_counter() - started
    print(f"warm-up done in {warmup:.1f} s", flush=True)

    # History of DAYS days ending 8 weeks before the last generated day; those 8 weeks are hidden.
    full_end = END + timedelta(days=HORIZON_DAYS)
    first, sales, stockouts, truth = synthetic_rows(SERIES, days=DAYS + HORIZON_DAYS, end=full_end, seed=2)
    first = {key: day for key, day in first.items()}
    print(f"{SERIES} series, {len(sales)} sales rows generated", flush=True)
    started = time.perf_counter()
    panel, results = run(first, sales, stockouts, END)
    elapsed = time.perf_counter() - started
    print(f"job done in {elapsed:.1f} s", flush=True)

    filled = fill_missing(panel)
    model_error = naive_error = 0.0
    models: dict[str, int] = {}
    for i, result in enumerate(results):
        actual = truth[i].demand[-HORIZON_DAYS:]
        history = filled[panel.offsets[i] : panel.offsets[i + 1]]
        naive = np.tile(history[-SEASON_DAYS:], HORIZON_DAYS // SEASON_DAYS)
        model_error += float(np.abs(actual - result.forecast).sum())
        naive_error += float(np.abs(actual - naive).sum())
        models[result.model] = models.get(result.model, 0) + 1
    print("models chosen: " + ", ".join(f"{k} {v}" for k, v in sorted(models.items())), flush=True)
    peak = peak_mb()  # before the real-data run, which is small
    started = time.perf_counter()
    real, real_series = real_ratio()
    print(f"real-data run done in {time.perf_counter() - started:.1f} s", flush=True)
    print(f"forecast_10k_s: {elapsed:.1f} s")
    print(f"forecast_warmup_s: {warmup:.1f} s")
    print(f"forecast_peak_mb: {peak:.0f} MB")
    print(f"forecast_wape_ratio_vs_naive: {model_error / naive_error:.3f}")
    print(f"forecast_real_wape_ratio_vs_naive: {real:.3f}")
    print(f"forecast_real_series: {real_series}")


if __name__ == "__main__":
    main()
