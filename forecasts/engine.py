"""The numeric core of demand forecasting: pure functions over numpy/pandas, no database.

The job (forecasts.services) reads what was sold (sales and returns, typed at the point of sale or
imported) and the stock ledger in bulk, calls these functions and writes the results; the
benchmarks (bench/forecast.py, bench/forecast_accuracy.py) call them through the job.

How a series is forecast
------------------------
* **Daily demand first.** Per (product, location) and day: units sold net of returns, from the
  series' first sale or stock movement. A day is a stockout only when the stock was *known* to be
  zero at its close (on or after the first stock record of that product and place); it is then a
  missing value, filled for fitting with the recent average of observed days and left out of every
  error measure. Days with no stock knowledge (an imported history, before the opening stock) are
  ordinary days.
* **The grain of the data.** A history with one row a month (every sale on the same day of the
  month) is modelled in months; everything else in weeks: a weekly history (one row a week) as it
  is, daily sales as weekly totals (far less noisy than days, and what replenishment uses), spread
  back over the days with the series' own weekday profile.
* **Candidates**, on the period totals: simple rules (naive, seasonal naive, moving average,
  medians and trimmed means of recent periods), statsforecast's SES, the intermittent family
  (Croston SBA, TSB, ADIDA, IMAPA), a combination (mean of SES, Croston SBA and a trimmed mean),
  and, on the best-selling regular series (where they are worth their cost), Theta and AutoETS.
* **Choice by rolling-origin backtest**: ``N_WINDOWS`` windows of the full horizon, on history
  only. Each window scores what replenishment needs: the absolute error of every period's total
  plus the absolute error of the total over the lead time (``LEAD_PERIODS``, the first period).
  The model with the lowest summed score over a group of series (grain and demand class) is the
  group's; a series takes its own winner only when it beats the group's on its own backtest by
  ``OWN_MARGIN``, because six windows of one slow mover are too few to tell close models apart.
  The simple rules are candidates too, so when nothing beats them, a simple rule is what is used
  (the honest fallback).
* **Accuracy** kept per series is out of sample, and so is the choice it measures: the model the
  same rule picks from the first four windows, scored on the latest ``EVAL_WINDOWS`` (WAPE on
  period totals) beside seasonal naive and the moving average on the same windows, and MASE
  (its mean absolute error there over the in-sample one-step naive error). Never the in-sample
  fit, and never a choice scored on the windows it was made on.
* **Too little history** (fewer than two backtest windows, or fewer than two periods with sales):
  the moving average of the last 4 periods, those before the first sale (while other series of
  the workspace were selling) counting as none sold, flagged ``short_history``; no backtest, no
  accuracy. Scoring it on the real data sets, the median of recent periods did worse on such
  series (new products that go on selling) and the daily average of the observed days far worse.

Where it runs: statsforecast starts worker processes when ``n_jobs`` > 1, which a daemonic process
(a Celery prefork child: the button and the nightly job) may not do; the engine then runs in its
own process (``engine_jobs``). Measured on 10,000 series x 730 days: see bench/README.md.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import warnings
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import NormalDist

import numpy as np
import pandas as pd

os.environ.setdefault("NIXTLA_ID_AS_COL", "1")

HISTORY_DAYS = 1096  # three years: a monthly history needs more than two seasons
FILL_WINDOW_DAYS = 28
INTERMITTENT_ADI = 1.32
N_WINDOWS = 6
EVAL_WINDOWS = 2  # the latest windows, on which the accuracy shown is measured
OWN_MARGIN = 0.15
LEAD_PERIODS = 1  # the lead time a score weighs in: one period (a week, or a month)
ETS_MAX_SERIES = 100

DAY, WEEK, MONTH = "day", "week", "month"
SMOOTH = "smooth"
INTERMITTENT = "intermittent"
SHORT = "short"


@dataclass(frozen=True)
class Grain:
    name: str
    horizon: int  # periods forecast (and per backtest window)
    step: int  # periods between two backtest cutoffs
    season: int  # periods in a year
    min_train: int  # observed periods before a cutoff for a window to count
    short_window: int  # "recent" for medians and short means
    long_window: int


GRAINS = {
    WEEK: Grain(WEEK, horizon=8, step=4, season=52, min_train=8, short_window=8, long_window=13),
    MONTH: Grain(MONTH, horizon=6, step=2, season=12, min_train=6, short_window=6, long_window=12),
}
HORIZON_DAYS = 7 * GRAINS[WEEK].horizon  # 8 weeks: the daily forecast of a weekly series

# Names of the models, as stored and shown.
NAIVE = "Naive"
BASELINE = "SeasonalNaive"
MOVING_AVERAGE = "MovingAverage"
MEDIAN_SHORT = "MedianRecent"
MEDIAN_LONG = "MedianLong"
MEAN_LONG = "MeanLong"
TRIMMED = "TrimmedMean"
SES = "SES"
CROSTON = "CrostonSBA"
TSB_NAME = "TSB"
ADIDA_NAME = "ADIDA"
IMAPA_NAME = "IMAPA"
THETA = "Theta"
ETS = "AutoETS"
COMBO = "Combination"
COMBO_OF = (SES, CROSTON, TRIMMED)
MOVING_AVERAGE_PERIODS = 4


def engine_jobs(series: int) -> int:
    """Worker processes for statsforecast: 2 from a few hundred series on (they cost start-up
    below that), but 1 in a daemonic process such as a Celery prefork child, which may not start
    children ("daemonic processes are not allowed to have children")."""
    if multiprocessing.current_process().daemon or series < 500:
        return 1
    return min(2, os.cpu_count() or 1)


# --- Series from sales rows -------------------------------------------------------------------


@dataclass(frozen=True)
class Panel:
    """Daily series, one after another: ``keys[i]`` is (product id, location id) of series i.

    ``y`` holds the demand with NaN on stockout days; ``starts[i]`` is the first day of series i
    and ``offsets[i]:offsets[i + 1]`` its slice in the flat arrays; all series end on ``end``.
    """

    keys: list[tuple[int, int]]
    starts: np.ndarray  # datetime64[D]
    offsets: np.ndarray
    y: np.ndarray
    stockout: np.ndarray
    end: date

    def series(self, i: int) -> np.ndarray:
        return self.y[self.offsets[i] : self.offsets[i + 1]]

    def lengths(self) -> np.ndarray:
        return np.diff(self.offsets)


def panel_build(
    *,
    first_days: dict[tuple[int, int], date],
    sales: pd.DataFrame | list[tuple[int, int, date, float]],
    stockout_days: pd.DataFrame | list[tuple[int, int, date]],
    end: date,
    history_days: int = HISTORY_DAYS,
) -> Panel:
    """Daily demand per (product, location) from ``first_days[key]`` (or ``history_days`` before
    ``end``, whichever is later) to ``end``: days without sales are 0, stockout days are NaN.

    ``sales`` rows are (product id, location id, day, quantity net of returns); ``stockout_days``
    rows (product id, location id, day). Rows of other series or days are ignored.
    """
    keys = sorted(first_days)
    # Series keys as one integer each (sorted like ``keys``), looked up with a binary search:
    # a MultiIndex of millions of sales rows costs hundreds of megabytes.
    width = max((location for _product, location in keys), default=0) + 1
    codes = np.array([product * width + location for product, location in keys], dtype=np.int64)
    earliest = np.datetime64(end - timedelta(days=history_days - 1), "D")
    end64 = np.datetime64(end, "D")
    starts = np.array([np.datetime64(first_days[k], "D") for k in keys], dtype="datetime64[D]")
    starts = np.minimum(np.maximum(starts, earliest), end64)
    lengths = (end64 - starts).astype(np.int64) + 1
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    y = np.zeros(offsets[-1], dtype=float)
    stockout = np.zeros(offsets[-1], dtype=bool)

    def positions(rows, columns) -> tuple[np.ndarray, np.ndarray]:
        """(flat positions, row mask) of the rows that fall inside a series."""
        frame = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(rows, columns=columns)
        if not keys or frame.empty:
            return np.array([], dtype=np.int64), np.zeros(len(frame), dtype=bool)
        column = {name: frame.iloc[:, k] for k, name in enumerate(columns)}  # no copy of the frame
        location = column["location_id"].to_numpy(dtype=np.int64)
        code = column["product_id"].to_numpy(dtype=np.int64) * width + location
        series = np.minimum(np.searchsorted(codes, code), len(codes) - 1)
        series = np.where((codes[series] == code) & (location < width), series, -1)
        day = pd.to_datetime(column["day"]).to_numpy().astype("datetime64[D]")
        keep = series >= 0
        offset = np.zeros(len(frame), dtype=np.int64)
        offset[keep] = (day[keep] - starts[series[keep]]).astype(np.int64)
        keep &= (offset >= 0) & (offset < np.where(keep, lengths[series], 0))
        return (offsets[series[keep]] + offset[keep]), keep

    sold, keep = positions(sales, ["product_id", "location_id", "day", "quantity"])
    if len(sold):
        quantity = sales.iloc[:, 3] if isinstance(sales, pd.DataFrame) else pd.Series([r[3] for r in sales])
        np.add.at(y, sold, quantity.to_numpy(dtype=float)[keep])
    out, _keep = positions(stockout_days, ["product_id", "location_id", "day"])
    stockout[out] = True
    y = np.maximum(y, 0.0)  # a day with more returns than sales is no negative demand
    y[stockout] = np.nan
    return Panel(keys=keys, starts=starts, offsets=offsets, y=y, stockout=stockout, end=end)


def stockout_days_from_ledger(
    *,
    first_days: dict[tuple[int, int], date],
    known_from: dict[tuple[int, int], date],
    movements: list[tuple[int, int, date, float]],
    on_hand: dict[tuple[int, int], float],
    end: date,
    history_days: int = HISTORY_DAYS,
) -> list[tuple[int, int, date]]:
    """Days (up to ``end``) known to have closed with no stock, per (product, location).

    The closing stock of day d is today's on hand minus every net movement after d (``movements``
    are (product, location, day, net quantity) from the start of the history to now, days after
    ``end`` included). It is known only from the day of the first stock record of that product
    and place (``known_from``) on: a day before it, or a series with no stock record at all (a
    sales history imported without stock), is an ordinary day, never a stockout. A known day that
    closed at or below zero is a stockout: what sold that day is what was left, not what
    customers wanted.
    """
    by_key: dict[tuple[int, int], list[tuple[date, float]]] = {}
    for product_id, location_id, day, net in movements:
        by_key.setdefault((product_id, location_id), []).append((day, net))
    earliest = end - timedelta(days=history_days - 1)
    days_out = []
    for key, first in first_days.items():
        if key not in known_from:
            continue
        start = min(max(first, earliest), end)
        length = (end - start).days + 1
        net = np.zeros(length)
        after = 0.0
        for day, quantity in by_key.get(key, ()):
            offset = (day - start).days
            if offset >= length:
                after += quantity
            elif offset >= 0:
                net[offset] += quantity
        closing_end = on_hand.get(key, 0.0) - after
        later = np.concatenate([np.cumsum(net[::-1])[::-1][1:], [0.0]])  # movements after each day
        closing = closing_end - later
        known = max((known_from[key] - start).days, 0)
        days_out.extend(
            (key[0], key[1], start + timedelta(days=int(o)))
            for o in np.flatnonzero(closing <= 0)
            if o >= known
        )
    return days_out


def fill_missing(panel: Panel) -> np.ndarray:
    """``panel.y`` with each stockout day filled by the mean of the last ``FILL_WINDOW_DAYS``
    observed days of the same series before it (0 when there are none): however long the
    stockout, it reads as the demand seen before it, never as zero. Series without a stockout
    are copied as they are (one series at a time otherwise: whole-panel running sums would cost
    several copies of the panel)."""
    filled = panel.y.copy()
    missing = np.isnan(filled)
    with_gaps = np.unique(np.searchsorted(panel.offsets, np.flatnonzero(missing), side="right") - 1)
    for i in with_gaps:
        values = panel.series(i)
        observed = ~np.isnan(values)
        total = np.concatenate([[0.0], np.cumsum(values[observed])])
        high = np.concatenate([[0], np.cumsum(observed)])[:-1]  # observed days before each day
        low = np.maximum(high - FILL_WINDOW_DAYS, 0)
        count = high - low
        window_sum = total[high] - total[low]
        fill = np.divide(window_sum, count, out=np.zeros_like(window_sum), where=count > 0)
        filled[panel.offsets[i] : panel.offsets[i + 1]] = np.where(observed, values, fill)
    return filled


# --- Grain and periods ------------------------------------------------------------------------


def grain_of(days_sold: np.ndarray) -> str:
    """The cadence of a history from its days with sales (datetime64[D]): MONTH when every sale
    falls on the same day of a different month (or on month ends), WEEK when every sale falls on
    the same weekday, DAY otherwise (and with fewer than three days with sales, nothing to tell)."""
    if len(days_sold) < 3:
        return DAY
    months = days_sold.astype("datetime64[M]")
    day_of_month = (days_sold - months.astype("datetime64[D]")).astype(np.int64) + 1
    month_end = (months + 1).astype("datetime64[D]") - 1 == days_sold
    if len(np.unique(months)) == len(days_sold) and (len(np.unique(day_of_month)) == 1 or month_end.all()):
        return MONTH
    weekdays = (days_sold.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday
    return WEEK if len(np.unique(weekdays)) == 1 else DAY


@dataclass
class Periods:
    """Period totals of a group of series: ``y[row, p]`` (NaN before the series' first period),
    ``stockout[row, p]`` days known out of stock in it, ``starts`` the first day of each period
    and of the forecast periods that follow (``len(starts) == P + horizon``)."""

    grain: Grain
    members: np.ndarray
    y: np.ndarray
    stockout: np.ndarray
    starts: list[date]

    @property
    def future(self) -> list[date]:
        return self.starts[self.y.shape[1] :]


def _weekly_periods(panel: Panel, filled: np.ndarray, members: np.ndarray) -> Periods:
    """Whole weeks ending on the panel's last day (a partial first week is left out)."""
    weeks = int(panel.lengths()[members].max()) // 7 if len(members) else 0
    y = np.full((len(members), weeks), np.nan)
    out = np.zeros((len(members), weeks))
    for row, i in enumerate(members):
        values = filled[panel.offsets[i] : panel.offsets[i + 1]]
        stock = panel.stockout[panel.offsets[i] : panel.offsets[i + 1]]
        count = len(values) // 7
        if count:
            y[row, weeks - count :] = values[len(values) - 7 * count :].reshape(count, 7).sum(axis=1)
            out[row, weeks - count :] = stock[len(stock) - 7 * count :].reshape(count, 7).sum(axis=1)
    horizon = GRAINS[WEEK].horizon
    first = panel.end - timedelta(days=7 * weeks - 1)
    starts = [first + timedelta(days=7 * k) for k in range(weeks + horizon)]
    return Periods(GRAINS[WEEK], members, y, out, starts)


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _month_start(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def _monthly_periods(panel: Panel, filled: np.ndarray, members: np.ndarray) -> Periods:
    """Calendar months up to the last complete one (a partial first month is left out)."""
    last = _month_index(panel.end) - (0 if (panel.end + timedelta(days=1)).day == 1 else 1)
    epoch = 1970 * 12
    firsts = []
    for i in members:
        start = panel.starts[i].astype(date)
        firsts.append(_month_index(start) + (0 if start.day == 1 else 1))
    base = min(firsts) if firsts else last + 1
    months = max(last - base + 1, 0)
    y = np.full((len(members), months), np.nan)
    out = np.zeros((len(members), months))
    for row, i in enumerate(members):
        values = filled[panel.offsets[i] : panel.offsets[i + 1]]
        days = panel.starts[i] + np.arange(len(values))
        index = days.astype("datetime64[M]").astype(np.int64) + epoch - base
        keep = (index >= firsts[row] - base) & (index < months)
        if keep.any():
            y[row, firsts[row] - base :] = np.bincount(index[keep], weights=values[keep], minlength=months)[
                firsts[row] - base :
            ]
            stock = panel.stockout[panel.offsets[i] : panel.offsets[i + 1]]
            out[row] = np.bincount(index[keep], weights=stock[keep].astype(float), minlength=months)
    horizon = GRAINS[MONTH].horizon
    starts = [_month_start(base + k) for k in range(months + horizon)]
    return Periods(GRAINS[MONTH], members, y, out, starts)


# --- Candidates -------------------------------------------------------------------------------


def _flat(level: np.ndarray, horizon: int) -> np.ndarray:
    return np.repeat(level[:, None], horizon, axis=1)


def _trimmed_mean(block: np.ndarray, share: float = 0.2) -> np.ndarray:
    """Mean of each row's observed values without the lowest and highest ``share`` of them."""
    ordered = np.sort(block, axis=1)  # NaN last
    count = (~np.isnan(block)).sum(axis=1)
    trim = np.floor(count * share).astype(np.int64)
    cumulative = np.concatenate(
        [np.zeros((len(block), 1)), np.cumsum(np.nan_to_num(ordered), axis=1)], axis=1
    )
    rows = np.arange(len(block))
    kept = count - 2 * trim
    total = cumulative[rows, count - trim] - cumulative[rows, trim]
    return np.divide(total, kept, out=np.full(len(block), np.nan), where=kept > 0)


def _rules(x: np.ndarray, grain: Grain) -> dict[str, np.ndarray]:
    """The simple rules and robust averages on training rows ``x`` (leading NaN before a series
    starts): (rows, horizon) forecasts each. Seasonal naive repeats the same periods a year
    earlier, or the last period when there is no year of history."""
    h, columns = grain.horizon, x.shape[1]
    naive = _flat(x[:, -1], h)
    seasonal = naive.copy()
    if columns >= grain.season:
        lagged = x[:, columns - grain.season + (np.arange(h) % grain.season)]
        has_year = ~np.isnan(x[:, columns - grain.season])
        seasonal = np.where(has_year[:, None], lagged, naive)

    def recent(periods: int) -> np.ndarray:
        return x[:, max(columns - periods, 0) :]

    return {
        NAIVE: naive,
        BASELINE: seasonal,
        MOVING_AVERAGE: _flat(np.nanmean(recent(MOVING_AVERAGE_PERIODS), axis=1), h),
        MEDIAN_SHORT: _flat(np.nanmedian(recent(grain.short_window), axis=1), h),
        MEDIAN_LONG: _flat(np.nanmedian(recent(grain.long_window), axis=1), h),
        MEAN_LONG: _flat(np.nanmean(recent(grain.long_window), axis=1), h),
        TRIMMED: _flat(_trimmed_mean(recent(grain.long_window)), h),
    }


def _library_models(heavy: bool) -> list:
    # The library is imported here, not at module level: Django loads this app in every process
    # (web, worker) and statsforecast's import costs about a second.
    from statsforecast.models import (
        ADIDA,
        IMAPA,
        TSB,
        AutoETS,
        CrostonSBA,
        SimpleExponentialSmoothingOptimized,
        Theta,
    )

    if heavy:
        return [Theta(season_length=1, alias=THETA), AutoETS(season_length=1, alias=ETS)]
    return [
        SimpleExponentialSmoothingOptimized(alias=SES),
        CrostonSBA(alias=CROSTON),
        TSB(alpha_d=0.1, alpha_p=0.1, alias=TSB_NAME),
        ADIDA(alias=ADIDA_NAME),
        IMAPA(alias=IMAPA_NAME),
    ]


def _library(x: np.ndarray, models: list, h: int, n_jobs: int) -> dict[str, np.ndarray]:
    """statsforecast ``models`` fitted on every row of ``x`` (observed values only)."""
    if not len(x):
        return {model.alias: np.zeros((0, h)) for model in models}
    from statsforecast import StatsForecast  # see _library_models

    mask = ~np.isnan(x)
    rows, times = np.nonzero(mask)
    frame = pd.DataFrame({"unique_id": rows, "ds": times, "y": x[mask]})
    result = StatsForecast(models=models, freq=1, n_jobs=n_jobs).forecast(df=frame, h=h)
    result = result.sort_values(["unique_id", "ds"], kind="stable")
    return {
        model.alias: np.nan_to_num(result[model.alias].to_numpy(dtype=float)).reshape(-1, h)
        for model in models
    }


def _candidates(x: np.ndarray, heavy_rows: np.ndarray, grain: Grain, n_jobs: int) -> dict[str, np.ndarray]:
    """Every candidate's forecast of the rows of ``x``; Theta and AutoETS only on ``heavy_rows``
    (a boolean mask), NaN elsewhere."""
    h = grain.horizon
    predictions = _rules(x, grain)
    predictions.update(_library(x, _library_models(heavy=False), h, n_jobs))
    predictions[COMBO] = np.mean([predictions[name] for name in COMBO_OF], axis=0)
    if heavy_rows.any():
        heavy = _library(x[heavy_rows], _library_models(heavy=True), h, n_jobs)
        for name, values in heavy.items():
            full = np.full((len(x), h), np.nan)
            full[heavy_rows] = values
            predictions[name] = full
    return predictions


# --- Backtest and model choice ----------------------------------------------------------------


@dataclass
class SeriesForecast:
    key: tuple[int, int]
    demand_class: str
    model: str
    short_history: bool
    grain: str  # the modelling grain: WEEK or MONTH
    forecast: np.ndarray  # daily values from end + 1 (the period forecasts spread over days)
    periods: np.ndarray  # forecast per period
    period_starts: list[date]
    period_days: float
    sigma_daily: float  # spread of a day's demand error, from the period errors
    errors: np.ndarray  # (windows, periods) backtest actual - forecast at the grain
    windows: int = 0
    wape: float | None = None
    naive_wape: float | None = None  # seasonal naive, same windows
    ma_wape: float | None = None  # moving average of the last 4 periods, same windows
    mase: float | None = None
    # Lower summed absolute backtest error than seasonal naive / the moving average, same windows
    # (also where WAPE has no denominator: windows without sales); None without a backtest.
    beats_naive: bool | None = None
    beats_moving_average: bool | None = None


def wape(actual: np.ndarray, predicted: np.ndarray) -> float:
    """Weighted absolute percentage error, NaN actuals (stockouts) left out: sum|e| / sum|y|."""
    mask = ~np.isnan(actual) & ~np.isnan(predicted)
    denominator = float(np.abs(actual[mask]).sum())
    error = float(np.abs(actual[mask] - predicted[mask]).sum())
    if denominator == 0:
        return 0.0 if error == 0 else math.inf
    return error / denominator


def demand_class(values: np.ndarray, *, season: int = 52, min_periods: int = 2) -> str:
    """Syntetos-Boylan on the observed periods of the last year: ``intermittent`` when the average
    interval between periods with sales is 1.32 periods or more (or none sold in the last year),
    ``smooth`` otherwise; ``short`` with fewer than ``min_periods`` periods with sales in all."""
    history = values[~np.isnan(values)]
    if int(np.count_nonzero(history > 0)) < min_periods:
        return SHORT
    observed = history[-season:]
    nonzero = int(np.count_nonzero(observed > 0))
    return INTERMITTENT if not nonzero or len(observed) / nonzero >= INTERMITTENT_ADI else SMOOTH


def _weekday_profile(values: np.ndarray) -> np.ndarray:
    """Share of a week's demand falling on each of the last 7 positions' weekdays (7 values,
    aligned so that position k of a week ending on the series' last day gets share[k])."""
    weeks = len(values) // 7
    if weeks == 0:
        return np.full(7, 1 / 7)
    block = values[len(values) - weeks * 7 :].reshape(weeks, 7)[-12:]
    totals = np.nansum(block, axis=0)
    return totals / totals.sum() if totals.sum() > 0 else np.full(7, 1 / 7)


def _daily(periods: Periods, values: np.ndarray, end: date, profile: np.ndarray | None) -> np.ndarray:
    """Period forecasts spread over the days from ``end`` + 1: by ``profile`` within a week, evenly
    within a month (the days of a month already under way get their share of it)."""
    if periods.grain.name == WEEK:
        shares = profile if profile is not None else np.full(7, 1 / 7)
        return np.repeat(values, 7) * np.tile(shares, len(values))
    daily = []
    for k, total in enumerate(values):
        first = periods.future[k]
        following = _month_start(_month_index(first) + 1)
        length = (following - first).days
        days = (following - max(first, end + timedelta(days=1))).days
        daily.extend([total / length] * max(days, 0))
    return np.array(daily)


def _choose(scores: np.ndarray, members: np.ndarray, universal: list[int]) -> np.ndarray:
    """Index of the model of each row: the group's (lowest summed score over the rows of the
    group, among the ``universal`` models every row has), unless the row's own best beats it by
    OWN_MARGIN."""
    group_totals = np.nansum(scores[members][:, universal], axis=0)
    group_best = universal[int(np.argmin(group_totals))]
    chosen = np.full(len(members), group_best)
    own = scores[members]
    own_best = np.nanargmin(np.where(np.isnan(own), np.inf, own), axis=1)
    better = own[np.arange(len(members)), own_best] < (1 - OWN_MARGIN) * own[:, group_best]
    chosen[better] = own_best[better]
    return chosen


def forecast_panel(
    panel: Panel, *, n_jobs: int = 1, ets_max_series: int = ETS_MAX_SERIES, progress=None
) -> list[SeriesForecast]:
    """Forecast every series of ``panel`` with the model its backtest chose (see the module's
    docstring). ``progress(fraction)`` is called between stages (for the screen's progress bar)."""
    if multiprocessing.current_process().daemon:
        n_jobs = 1  # a Celery prefork child may not start processes
    with warnings.catch_warnings():
        # Means and medians of rows with no observed value (ineligible windows): handled below.
        warnings.simplefilter("ignore", RuntimeWarning)
        return _forecast_panel(panel, n_jobs=n_jobs, ets_max_series=ets_max_series, progress=progress)


def _short(panel: Panel, i: int, periods: Periods, row: int, end: date, rule: str) -> SeriesForecast:
    """Too little history to backtest: a simple rule (``rule``) on its last periods, those before
    its first sale counting as none sold; less than a whole period counts as the last one."""
    values = panel.series(i)
    observed = values[~np.isnan(values)]
    mean = float(observed.mean()) if len(observed) else 0.0
    grain = periods.grain
    h = grain.horizon
    future = periods.future
    history = periods.y[row][~np.isnan(periods.y[row])]
    # Periods before its first sale, while the workspace was already selling, sold none of it.
    recent = np.nan_to_num(periods.y[row][-grain.long_window :])
    if not len(history):  # less than a whole period: what it sold counts as the last period's
        recent[-1] = float(observed.sum())
    totals = np.maximum(np.nan_to_num(_rules(recent[None, :], grain)[rule][0]), 0.0)
    period_days = 7.0 if grain.name == WEEK else 30.4
    sigma = float(history.std()) / math.sqrt(period_days) if len(history) > 1 else mean
    return SeriesForecast(
        key=panel.keys[i],
        demand_class=SHORT,
        model=rule,
        short_history=True,
        grain=grain.name,
        forecast=_daily(periods, totals, end, None),
        periods=totals,
        period_starts=future,
        period_days=period_days,
        sigma_daily=sigma,
        errors=np.zeros((0, h)),
    )


def _forecast_panel(panel: Panel, *, n_jobs: int, ets_max_series: int, progress) -> list[SeriesForecast]:
    report = progress or (lambda fraction: None)
    filled = fill_missing(panel)
    results: list[SeriesForecast | None] = [None] * len(panel.keys)
    data_grains = []
    for i in range(len(panel.keys)):
        sold = np.flatnonzero(panel.series(i) > 0)
        data_grains.append(grain_of(panel.starts[i] + sold) if 3 <= len(sold) <= 200 else None)
    # A series with too few sales to show its cadence has the workspace's: the cadence most
    # series with enough sales show (a monthly history imported for every product).
    known = [g for g in data_grains if g is not None]
    usual = max((DAY, WEEK, MONTH), key=known.count) if known else DAY
    data_grains = np.array([g or usual for g in data_grains], dtype=object)
    report(0.05)
    groups = [
        (WEEK, np.flatnonzero(data_grains != MONTH)),
        (MONTH, np.flatnonzero(data_grains == MONTH)),
    ]
    stage = 0
    for grain_name, members in groups:
        if not len(members):
            continue
        periods = (_weekly_periods if grain_name == WEEK else _monthly_periods)(panel, filled, members)
        _forecast_group(panel, filled, periods, data_grains, results, n_jobs, ets_max_series)
        stage += 1
        report(0.05 + 0.45 * stage)
    report(1.0)
    return results


def _forecast_group(panel, filled, periods: Periods, data_grains, results, n_jobs, ets_max_series) -> None:
    grain = periods.grain
    y, members = periods.y, periods.members
    n, total_periods = y.shape
    h = grain.horizon
    end = panel.end
    classes = np.array([demand_class(y[row], season=grain.season) for row in range(n)], dtype=object)
    volume = np.nansum(y[:, -grain.season :], axis=1)
    smooth = np.flatnonzero(classes == SMOOTH)
    heavy = np.zeros(n, dtype=bool)
    heavy[smooth[np.argsort(-volume[smooth], kind="stable")[:ets_max_series]]] = True

    cutoffs = [total_periods - h - grain.step * (N_WINDOWS - 1 - w) for w in range(N_WINDOWS)]
    predictions: dict[str, np.ndarray] = {}
    actual = np.full((n, N_WINDOWS, h), np.nan)
    valid = np.zeros((n, N_WINDOWS), dtype=bool)
    for w, cutoff in enumerate(cutoffs):
        if cutoff < grain.min_train:
            continue
        x = y[:, :cutoff]
        rows = np.flatnonzero(((~np.isnan(x)).sum(axis=1) >= grain.min_train) & (classes != SHORT))
        if not len(rows):
            continue
        valid[rows, w] = True
        window = y[rows, cutoff : cutoff + h].copy()
        window[periods.stockout[rows, cutoff : cutoff + h] > 0] = np.nan
        actual[rows, w] = window
        for name, values in _candidates(x[rows], heavy[rows], grain, n_jobs).items():
            predictions.setdefault(name, np.full((n, N_WINDOWS, h), np.nan))[rows, w] = values

    names = list(predictions)
    windows = valid.sum(axis=1)
    backtested = np.flatnonzero((windows >= 2) & (classes != SHORT))
    per_window = {}
    for name in names:
        error = actual - predictions[name]
        score = np.nansum(np.abs(error), axis=2) + np.abs(np.nansum(error[:, :, :LEAD_PERIODS], axis=2))
        score[~valid | np.isnan(predictions[name]).all(axis=2)] = np.nan
        per_window[name] = score

    def scores(windows_used: np.ndarray) -> np.ndarray:
        """(series, model) summed scores over ``windows_used``; NaN where a model is missing on a
        valid window or no window is valid."""
        table = np.full((n, len(names)), np.nan)
        used = valid & windows_used[None, :]
        for k, name in enumerate(names):
            score = per_window[name]
            missing = (used & np.isnan(score)).any(axis=1) | ~used.any(axis=1)
            table[:, k] = np.where(missing, np.nan, np.nansum(np.where(used, score, 0.0), axis=1))
        return table

    universal = [k for k, name in enumerate(names) if name not in (THETA, ETS)]
    every_window = np.ones(N_WINDOWS, dtype=bool)
    # The accuracy shown is that of the choice itself, out of sample: a choice made on the earlier
    # windows only, scored on the latest EVAL_WINDOWS (choosing on the windows that then score
    # the choice flatters it: the winner of six noisy windows looks better than it is).
    earlier = np.arange(N_WINDOWS) < N_WINDOWS - EVAL_WINDOWS
    chosen = np.full(n, -1)
    chosen_before = np.full(n, -1)
    for klass in (SMOOTH, INTERMITTENT):
        group = backtested[classes[backtested] == klass]
        if len(group):
            chosen[group] = _choose(scores(every_window), group, universal)
            chosen_before[group] = _choose(scores(earlier), group, universal)

    final: dict[str, np.ndarray] = {}
    position: dict[int, int] = {}
    needed = {names[k] for k in set(chosen[backtested].tolist())}
    if needed:
        rows = backtested
        library_needed = needed & {SES, CROSTON, TSB_NAME, ADIDA_NAME, IMAPA_NAME, COMBO}
        heavy_rows = heavy[rows] & np.isin(chosen[rows], [names.index(m) for m in (THETA, ETS) if m in names])
        x = y[rows]
        rules = _rules(x, grain)
        if library_needed:
            rules.update(_library(x, _library_models(heavy=False), h, n_jobs))
            rules[COMBO] = np.mean([rules[name] for name in COMBO_OF], axis=0)
        if heavy_rows.any():
            for name, values in _library(x[heavy_rows], _library_models(heavy=True), h, n_jobs).items():
                full = np.full((len(rows), h), np.nan)
                full[heavy_rows] = values
                rules[name] = full
        final = {name: values for name, values in rules.items()}
        position = {row: p for p, row in enumerate(rows)}

    period_days = 7.0 if grain.name == WEEK else 30.4
    for row in range(n):
        i = members[row]
        if chosen[row] < 0:
            results[i] = _short(panel, i, periods, row, end, MOVING_AVERAGE)
            continue
        name = names[chosen[row]]
        values = np.maximum(np.nan_to_num(final[name][position[row]]), 0.0)
        use = valid[row]
        # The spread of the chosen model's errors over every window sizes the safety stock.
        errors = (actual[row] - predictions[name][row])[use]
        judged = names[chosen_before[row]]
        latest = use & ~earlier
        wapes = {
            m: wape(actual[row][latest].ravel(), predictions[m][row][latest].ravel())
            for m in (judged, BASELINE, MOVING_AVERAGE)
        }
        absolute = {
            m: float(np.nansum(np.abs(actual[row][latest] - predictions[m][row][latest])))
            for m in (judged, BASELINE, MOVING_AVERAGE)
        }
        judged_errors = (actual[row] - predictions[judged][row])[latest]
        history = y[row][~np.isnan(y[row])]
        scale = float(np.abs(np.diff(history)).mean()) if len(history) > 1 else 0.0
        mae = float(np.nanmean(np.abs(judged_errors))) if np.isfinite(judged_errors).any() else math.nan
        profile = None
        if data_grains[i] == DAY:
            profile = _weekday_profile(filled[panel.offsets[i] : panel.offsets[i + 1]])
        rmse = float(np.sqrt(np.nanmean(errors**2))) if np.isfinite(errors).any() else 0.0
        results[i] = SeriesForecast(
            key=panel.keys[i],
            demand_class=classes[row],
            model=name,
            short_history=False,
            grain=grain.name,
            forecast=np.maximum(_daily(periods, values, end, profile), 0.0),
            periods=values,
            period_starts=periods.future,
            period_days=period_days,
            sigma_daily=rmse / math.sqrt(period_days),
            errors=np.nan_to_num(errors),
            windows=int(windows[row]),
            wape=_finite(wapes[judged]),
            naive_wape=_finite(wapes[BASELINE]),
            ma_wape=_finite(wapes[MOVING_AVERAGE]),
            mase=_finite(mae / scale) if scale > 0 else None,
            beats_naive=absolute[judged] < absolute[BASELINE],
            beats_moving_average=absolute[judged] < absolute[MOVING_AVERAGE],
        )


def _finite(value: float) -> float | None:
    return value if value is not None and math.isfinite(value) else None


# --- Replenishment ----------------------------------------------------------------------------


def lead_time_sigma(errors: np.ndarray, lead_days: int, period_days: float = 1.0) -> float:
    """Spread of the error of demand summed over ``lead_days``, from the backtest errors of the
    periods the series is modelled in (``period_days`` long: 7 for weeks): the root mean square
    of the errors summed over every run of as many consecutive periods as the lead time spans
    (at least one) within each window (stockout periods count as no error), scaled by the square
    root of the lead time over that run's length. 0 for no lead time; beyond the horizon the
    horizon's figure grows with the square root of time."""
    if lead_days <= 0:
        return 0.0
    errors = np.nan_to_num(np.atleast_2d(errors))
    if not errors.size:
        return 0.0
    periods = lead_days / period_days
    span = min(max(1, round(periods)), errors.shape[1])
    cumulative = np.concatenate([np.zeros((errors.shape[0], 1)), np.cumsum(errors, axis=1)], axis=1)
    sums = cumulative[:, span:] - cumulative[:, :-span]
    sigma = float(np.sqrt(np.mean(sums**2)))
    return sigma * math.sqrt(periods / span)


def demand_over(forecast: np.ndarray, start: int, days: int) -> float:
    """Forecast demand over ``days`` days starting ``start`` days ahead; past the horizon, the
    horizon's last four weeks' daily average."""
    if days <= 0:
        return 0.0
    inside = forecast[start : start + days]
    beyond = days - len(inside)
    tail = forecast[-28:] if len(forecast) else np.zeros(1)
    return float(inside.sum() + beyond * tail.mean())


@dataclass(frozen=True)
class Replenishment:
    demand_lead: float
    sigma_lead: float
    safety_stock: float
    reorder_point: float
    order_up_to: float
    position: float
    packs: int
    quantity: float


def service_level_z(service_level: float) -> float:
    return NormalDist().inv_cdf(service_level)


def replenishment_plan(
    *,
    forecast: np.ndarray,
    sigma_lead: float,
    on_hand: float,
    on_order: float,
    committed: float = 0.0,
    lead_time_days: int,
    review_days: int,
    pack_size: float,
    service_level: float,
    min_stock: float = 0.0,
) -> Replenishment:
    """Reorder point and order-up-to level, and what to order now.

    demand_lead = forecast demand over the lead time; safety stock = z(service level) x the spread
    of the lead-time error; reorder point = demand_lead + safety stock (never below the product's
    minimum stock); order-up-to = reorder point + forecast demand over the review period that
    follows. Position = on hand + on order - committed. At or below the reorder point, order what
    brings the position up to the order-up-to level, rounded up to whole packs; otherwise nothing.
    """
    demand_lead = demand_over(forecast, 0, lead_time_days)
    safety = max(service_level_z(service_level) * sigma_lead, 0.0)
    reorder_point = max(demand_lead + safety, min_stock)
    order_up_to = reorder_point + demand_over(forecast, lead_time_days, review_days)
    position = on_hand + on_order - committed
    packs = 0
    if position <= reorder_point and order_up_to > position:
        packs = math.ceil((order_up_to - position) / pack_size - 1e-9)
    return Replenishment(
        demand_lead=demand_lead,
        sigma_lead=sigma_lead,
        safety_stock=safety,
        reorder_point=reorder_point,
        order_up_to=order_up_to,
        position=position,
        packs=packs,
        quantity=packs * pack_size,
    )
