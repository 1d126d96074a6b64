"""The numeric core of demand forecasting: pure functions over numpy/pandas, no database.

The job (forecasts.services) reads the ledger in bulk, calls these functions and writes the
results; the benchmark (bench/forecast.py) calls them on synthetic series.

Where each model runs, and why
------------------------------
Measured on this machine (2 cores, statsforecast 2.1.1, 10,000 daily series of 730 days): the
naive models cost about a second, the four intermittent-demand methods a few seconds, while
AutoETS costs minutes on the daily series and still tens of seconds on weekly totals. A 60-second
budget for 10,000 series with a rolling-origin backtest (every candidate fitted once per window)
therefore decides the placement:

* **Intermittent demand** (Syntetos-Boylan: average interval between sales >= 1.32 days, the slow
  movers that are most of a small shop's catalogue): CrostonOptimized, TSB, ADIDA and IMAPA, made
  for many zero days, against SeasonalNaive. Cheap, so every such series tries all of them.
* **Smooth demand** (sells most days): SeasonalNaive(7), a seasonal window average and seasonal
  exponential smoothing on the daily series (cheap, they carry the weekly pattern); and AutoETS
  on weekly totals (trend and level; weekly totals are 7x shorter and far less noisy), spread back
  over the week with the series' own weekday profile. AutoETS is the expensive one, so it runs
  on the ``ets_max_series`` best-selling smooth series only (all of them in a typical shop; the
  top of the catalogue at 10,000 series), where an accuracy gain is worth the most money.
* **Too little history** (under ``MIN_HISTORY_DAYS`` observed days, or fewer than two sales): a
  simple average of the observed days, flagged ``short_history``; no backtest is possible.

Every candidate is scored by a rolling-origin backtest (``N_WINDOWS`` windows of the full
horizon, ``STEP_DAYS`` apart); the one with the lowest WAPE wins, per series. Days when the product
was out of stock are missing values, not zeros: they are filled for fitting with the recent
average of observed days and left out of every error measure.
"""

from __future__ import annotations

import math
import os
import warnings
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import NormalDist

import numpy as np
import pandas as pd

os.environ.setdefault("NIXTLA_ID_AS_COL", "1")

HORIZON_DAYS = 56  # 8 weeks
SEASON_DAYS = 7
N_WINDOWS = 2
STEP_DAYS = 28
HOLDOUT_DAYS = HORIZON_DAYS + STEP_DAYS * (N_WINDOWS - 1)
MIN_HISTORY_DAYS = HOLDOUT_DAYS + 8 * SEASON_DAYS  # 8 weeks to fit before the first cutoff
HISTORY_DAYS = 730
INTERMITTENT_ADI = 1.32
FILL_WINDOW_DAYS = 28

SMOOTH = "smooth"
INTERMITTENT = "intermittent"
SHORT = "short"

BASELINE = "SeasonalNaive"
AVERAGE = "Average"
WEEKLY_ETS = "AutoETS-weekly"


def _daily_models(demand_class: str) -> list:
    # The library is imported here, not at module level: Django loads this app in every process
    # (web, worker) and statsforecast's import costs about a second.
    from statsforecast.models import (
        ADIDA,
        IMAPA,
        TSB,
        CrostonOptimized,
        SeasonalExponentialSmoothingOptimized,
        SeasonalNaive,
        SeasonalWindowAverage,
    )

    baseline = SeasonalNaive(season_length=SEASON_DAYS, alias=BASELINE)
    if demand_class == INTERMITTENT:
        return [
            baseline,
            CrostonOptimized(alias="CrostonOptimized"),
            TSB(alpha_d=0.1, alpha_p=0.1, alias="TSB"),
            ADIDA(alias="ADIDA"),
            IMAPA(alias="IMAPA"),
        ]
    return [
        baseline,
        SeasonalWindowAverage(season_length=SEASON_DAYS, window_size=4, alias="SeasonalWindowAverage"),
        SeasonalExponentialSmoothingOptimized(season_length=SEASON_DAYS, alias="SeasonalES"),
    ]


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
    key_index = pd.MultiIndex.from_tuples(keys, names=["product_id", "location_id"]) if keys else None
    earliest = np.datetime64(end - timedelta(days=history_days - 1), "D")
    end64 = np.datetime64(end, "D")
    starts = np.array([np.datetime64(first_days[k], "D") for k in keys], dtype="datetime64[D]")
    starts = np.minimum(np.maximum(starts, earliest), end64)
    lengths = (end64 - starts).astype(np.int64) + 1
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    y = np.zeros(offsets[-1], dtype=float)
    stockout = np.zeros(offsets[-1], dtype=bool)

    def positions(rows, columns) -> tuple[np.ndarray, pd.DataFrame]:
        frame = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(rows, columns=columns)
        if key_index is None or frame.empty:
            return np.array([], dtype=np.int64), frame.iloc[:0]
        frame = frame.set_axis(columns, axis=1)
        series = key_index.get_indexer(pd.MultiIndex.from_arrays([frame["product_id"], frame["location_id"]]))
        day = pd.to_datetime(frame["day"]).to_numpy().astype("datetime64[D]")
        keep = series >= 0
        offset = np.zeros(len(frame), dtype=np.int64)
        offset[keep] = (day[keep] - starts[series[keep]]).astype(np.int64)
        keep &= (offset >= 0) & (offset < np.where(keep, lengths[series], 0))
        return (offsets[series[keep]] + offset[keep]), frame[keep]

    sold, frame = positions(sales, ["product_id", "location_id", "day", "quantity"])
    np.add.at(y, sold, frame["quantity"].to_numpy(dtype=float) if len(frame) else np.zeros(0))
    out, _ = positions(stockout_days, ["product_id", "location_id", "day"])
    stockout[out] = True
    y = np.maximum(y, 0.0)  # a day with more returns than sales is no negative demand
    y[stockout] = np.nan
    return Panel(keys=keys, starts=starts, offsets=offsets, y=y, stockout=stockout, end=end)


def stockout_days_from_ledger(
    *,
    first_days: dict[tuple[int, int], date],
    movements: list[tuple[int, int, date, float]],
    on_hand: dict[tuple[int, int], float],
    end: date,
    history_days: int = HISTORY_DAYS,
) -> list[tuple[int, int, date]]:
    """Days (up to ``end``) that closed with no stock, per (product, location).

    The closing stock of day d is today's on hand minus every net movement after d (``movements``
    are (product, location, day, net quantity) from the start of the history to now, days after
    ``end`` included). A day that closed at or below zero is a stockout: what sold that day is
    what was left, not what customers wanted.
    """
    by_key: dict[tuple[int, int], list[tuple[date, float]]] = {}
    for product_id, location_id, day, net in movements:
        by_key.setdefault((product_id, location_id), []).append((day, net))
    earliest = end - timedelta(days=history_days - 1)
    days_out = []
    for key, first in first_days.items():
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
        days_out.extend(
            (key[0], key[1], start + timedelta(days=int(o))) for o in np.flatnonzero(closing <= 0)
        )
    return days_out


def fill_missing(panel: Panel) -> np.ndarray:
    """``panel.y`` with each stockout day filled by the mean of the last ``FILL_WINDOW_DAYS``
    observed days of the same series before it (0 when there are none): however long the
    stockout, it reads as the demand seen before it, never as zero."""
    observed = ~np.isnan(panel.y)
    total = np.concatenate([[0.0], np.cumsum(panel.y[observed])])
    seen_before = np.concatenate([[0], np.cumsum(observed)])[:-1]  # observed days before each day
    series_first = np.repeat(seen_before[panel.offsets[:-1]] if len(panel.keys) else [], panel.lengths())
    high = seen_before
    low = np.maximum(high - FILL_WINDOW_DAYS, series_first.astype(np.int64))
    count = high - low
    window_sum = total[high] - total[low]
    fill = np.divide(window_sum, count, out=np.zeros_like(window_sum), where=count > 0)
    return np.where(observed, panel.y, fill)


def demand_class(values: np.ndarray, *, min_history: int = MIN_HISTORY_DAYS) -> str:
    """Syntetos-Boylan on the observed days of the last year: ``intermittent`` when the average
    interval between days with sales is 1.32 days or more, ``smooth`` otherwise; ``short`` when
    there is too little history (or fewer than two days with sales) to backtest."""
    observed = values[~np.isnan(values)]
    if len(observed) < min_history:
        return SHORT
    recent = observed[-365:]
    nonzero = int(np.count_nonzero(recent > 0))
    if nonzero < 2:
        return SHORT
    return INTERMITTENT if len(recent) / nonzero >= INTERMITTENT_ADI else SMOOTH


# --- Backtest and model choice ----------------------------------------------------------------


@dataclass
class SeriesForecast:
    key: tuple[int, int]
    demand_class: str
    model: str
    short_history: bool
    forecast: np.ndarray  # HORIZON_DAYS daily values from end + 1
    sigma_daily: float  # RMSE of the chosen model's daily backtest errors
    errors: np.ndarray  # (N_WINDOWS, HORIZON_DAYS) actual - forecast, NaN on stockout days
    wape: float | None = None
    naive_wape: float | None = None
    mase: float | None = None

    @property
    def beats_naive(self) -> bool | None:
        if self.wape is None or self.naive_wape is None:
            return None
        return self.wape < self.naive_wape


def wape(actual: np.ndarray, predicted: np.ndarray) -> float:
    """Weighted absolute percentage error, NaN actuals (stockouts) left out: sum|e| / sum|y|."""
    mask = ~np.isnan(actual)
    denominator = float(np.abs(actual[mask]).sum())
    error = float(np.abs(actual[mask] - predicted[mask]).sum())
    if denominator == 0:
        return 0.0 if error == 0 else math.inf
    return error / denominator


def seasonal_naive_scale(values: np.ndarray, season: int = SEASON_DAYS) -> float:
    """In-sample mean absolute error of the seasonal naive forecast (MASE's denominator)."""
    diffs = np.abs(values[season:] - values[:-season])
    diffs = diffs[~np.isnan(diffs)]
    return float(diffs.mean()) if len(diffs) else math.nan


def _frame(panel: Panel, filled: np.ndarray, members: np.ndarray, trim_days: int = 0) -> pd.DataFrame:
    """Long frame (unique_id, ds, y) of the series ``members``, without their last ``trim_days``."""
    lengths = panel.lengths()[members] - trim_days
    index = np.concatenate(
        [np.arange(panel.offsets[i], panel.offsets[i] + n) for i, n in zip(members, lengths, strict=True)]
    )
    ds = np.concatenate(
        [panel.starts[i] + np.arange(n) for i, n in zip(members, lengths, strict=True)]
    ).astype("datetime64[ns]")
    return pd.DataFrame({"unique_id": np.repeat(members, lengths), "ds": ds, "y": filled[index]})


def _holdout(panel: Panel, members: np.ndarray) -> np.ndarray:
    """(series, window, day) actuals of the backtest windows, NaN on stockout days."""
    windows = []
    for w in range(N_WINDOWS):
        # Window w ends (N_WINDOWS - 1 - w) * STEP_DAYS days before the last day.
        stop = panel.offsets[members + 1] - (N_WINDOWS - 1 - w) * STEP_DAYS
        windows.append(panel.y[(stop - HORIZON_DAYS)[:, None] + np.arange(HORIZON_DAYS)])
    return np.stack(windows, axis=1)


def _cross_validate(
    frame: pd.DataFrame, models: list, n_series: int, n_jobs: int, freq: str, h: int, step: int
):
    from statsforecast import StatsForecast  # see _daily_models

    sf = StatsForecast(models=models, freq=freq, n_jobs=n_jobs)
    cv = sf.cross_validation(df=frame, h=h, n_windows=N_WINDOWS, step_size=step)
    cv = cv.sort_values(["unique_id", "cutoff", "ds"], kind="stable")
    return {
        model.alias: np.nan_to_num(cv[model.alias].to_numpy(dtype=float)).reshape(n_series, N_WINDOWS, h)
        for model in models
    }


def _forecast(frame: pd.DataFrame, model, n_jobs: int, freq: str, h: int) -> dict[int, np.ndarray]:
    from statsforecast import StatsForecast  # see _daily_models

    result = StatsForecast(models=[model], freq=freq, n_jobs=n_jobs).forecast(df=frame, h=h)
    result = result.sort_values(["unique_id", "ds"], kind="stable")
    values = np.nan_to_num(result[model.alias].to_numpy(dtype=float)).reshape(-1, h)
    return dict(zip(result["unique_id"].unique().tolist(), values, strict=True))


def _weekday_profile(values: np.ndarray) -> np.ndarray:
    """Share of a week's demand falling on each of the last 7 positions' weekdays (7 values,
    aligned so that position k of a week ending on the series' last day gets share[k])."""
    weeks = len(values) // SEASON_DAYS
    if weeks == 0:
        return np.full(SEASON_DAYS, 1 / SEASON_DAYS)
    block = values[len(values) - weeks * SEASON_DAYS :].reshape(weeks, SEASON_DAYS)[-12:]
    totals = np.nansum(block, axis=0)
    return totals / totals.sum() if totals.sum() > 0 else np.full(SEASON_DAYS, 1 / SEASON_DAYS)


def _weekly_frame(panel: Panel, filled: np.ndarray, members: np.ndarray) -> pd.DataFrame:
    """Weekly totals of whole weeks ending on the last day (so daily cutoffs fall on week ends)."""
    frames = []
    for i in members:
        values = filled[panel.offsets[i] : panel.offsets[i + 1]]
        weeks = len(values) // SEASON_DAYS
        totals = values[len(values) - weeks * SEASON_DAYS :].reshape(weeks, SEASON_DAYS).sum(axis=1)
        frames.append((i, totals))
    lengths = np.array([len(t) for _, t in frames])
    ds = np.concatenate([np.arange(n) for n in lengths])  # integer weeks (freq=1)
    return pd.DataFrame(
        {"unique_id": np.repeat(members, lengths), "ds": ds, "y": np.concatenate([t for _, t in frames])}
    )


def _weekly_ets(panel: Panel, filled: np.ndarray, members: np.ndarray, n_jobs: int):
    """AutoETS on weekly totals: (backtest daily predictions, final daily forecasts) of ``members``."""
    from statsforecast.models import AutoETS  # see _daily_models

    model = AutoETS(season_length=1, alias=WEEKLY_ETS)
    weekly = _weekly_frame(panel, filled, members)
    weeks, step = HORIZON_DAYS // SEASON_DAYS, STEP_DAYS // SEASON_DAYS
    cv = _cross_validate(weekly, [model], len(members), n_jobs, 1, weeks, step)[WEEKLY_ETS]
    final = _forecast(weekly, model, n_jobs, 1, weeks)
    backtest = np.empty((len(members), N_WINDOWS, HORIZON_DAYS))
    forecasts = {}
    for row, i in enumerate(members):
        values = filled[panel.offsets[i] : panel.offsets[i + 1]]
        training = values[: len(values) - HOLDOUT_DAYS]
        profile = _weekday_profile(training)
        for w in range(N_WINDOWS):
            backtest[row, w] = np.repeat(cv[row, w], SEASON_DAYS) * np.tile(profile, weeks)
        forecasts[i] = np.repeat(final[i], SEASON_DAYS) * np.tile(_weekday_profile(values), weeks)
    return backtest, forecasts


def forecast_panel(
    panel: Panel, *, n_jobs: int = 2, ets_max_series: int = 300, progress=None
) -> list[SeriesForecast]:
    """Forecast every series of ``panel`` HORIZON_DAYS ahead with the model that won its backtest.

    ``progress(fraction)`` is called between stages (for the screen's progress bar).
    """
    with warnings.catch_warnings():
        # Series whose backtest days were all stockouts give empty means: handled below.
        warnings.simplefilter("ignore", RuntimeWarning)
        return _forecast_panel(panel, n_jobs=n_jobs, ets_max_series=ets_max_series, progress=progress)


def _forecast_panel(panel: Panel, *, n_jobs: int, ets_max_series: int, progress) -> list[SeriesForecast]:
    report = progress or (lambda fraction: None)
    filled = fill_missing(panel)
    classes = np.array([demand_class(panel.series(i)) for i in range(len(panel.keys))], dtype=object)
    results: list[SeriesForecast | None] = [None] * len(panel.keys)

    for i in np.flatnonzero(classes == SHORT):
        observed = panel.series(i)[~np.isnan(panel.series(i))]
        mean = float(observed.mean()) if len(observed) else 0.0
        results[i] = SeriesForecast(
            key=panel.keys[i],
            demand_class=SHORT,
            model=AVERAGE,
            short_history=True,
            forecast=np.full(HORIZON_DAYS, mean),
            sigma_daily=float(observed.std()) if len(observed) > 1 else mean,
            errors=np.full((N_WINDOWS, HORIZON_DAYS), np.nan),
        )
    report(0.1)

    for stage, klass in enumerate((INTERMITTENT, SMOOTH)):
        members = np.flatnonzero(classes == klass)
        if not len(members):
            continue
        models = _daily_models(klass)
        frame = _frame(panel, filled, members)
        predictions = _cross_validate(frame, models, len(members), n_jobs, "D", HORIZON_DAYS, STEP_DAYS)
        actual = _holdout(panel, members)
        extra_forecasts: dict[int, np.ndarray] = {}
        if klass == SMOOTH and ets_max_series > 0:
            volume = np.array(
                [np.nansum(panel.series(i)[-HOLDOUT_DAYS - 91 : -HOLDOUT_DAYS]) for i in members]
            )
            top = np.sort(np.argsort(-volume, kind="stable")[:ets_max_series])
            backtest, extra_forecasts = _weekly_ets(panel, filled, members[top], n_jobs)
            ets = np.full((len(members), N_WINDOWS, HORIZON_DAYS), np.nan)
            ets[top] = backtest
            predictions[WEEKLY_ETS] = ets
        names = list(predictions)
        chosen = {}
        for row, i in enumerate(members):
            scores = []
            for name in names:
                if np.isnan(predictions[name][row]).all():
                    scores.append(math.inf)
                    continue
                scores.append(wape(actual[row].ravel(), predictions[name][row].ravel()))
            best = names[int(np.argmin(scores))]
            errors = actual[row] - predictions[best][row]
            values = panel.series(i)
            scale = seasonal_naive_scale(values[: len(values) - HOLDOUT_DAYS])
            mae = float(np.nanmean(np.abs(errors)))
            chosen.setdefault(best, []).append(i)
            results[i] = SeriesForecast(
                key=panel.keys[i],
                demand_class=klass,
                model=best,
                short_history=False,
                forecast=np.empty(0),
                sigma_daily=float(np.sqrt(np.nanmean(errors**2))),
                errors=errors,
                wape=scores[names.index(best)],
                naive_wape=scores[names.index(BASELINE)],
                mase=mae / scale if scale and scale > 0 else None,
            )
        report(0.3 + 0.3 * stage)
        by_alias = {model.alias: model for model in models}
        for name, ids in chosen.items():
            if name == WEEKLY_ETS:
                for i in ids:
                    results[i].forecast = extra_forecasts[i]
                continue
            final = _forecast(_frame(panel, filled, np.array(ids)), by_alias[name], n_jobs, "D", HORIZON_DAYS)
            for i in ids:
                results[i].forecast = final[i]
        report(0.45 + 0.3 * stage)

    for result in results:
        result.forecast = np.maximum(result.forecast, 0.0)
        if not math.isfinite(result.sigma_daily):  # every backtest day was a stockout
            result.sigma_daily = 0.0
        for attr in ("wape", "naive_wape", "mase"):
            value = getattr(result, attr)
            if value is not None and not math.isfinite(value):
                setattr(result, attr, None)
    report(1.0)
    return results


# --- Replenishment ----------------------------------------------------------------------------


def lead_time_sigma(errors: np.ndarray, lead_days: int) -> float:
    """Spread of the error of demand summed over ``lead_days``: the root mean square of the
    backtest errors summed over every run of ``lead_days`` consecutive days within each window
    (stockout days count as no error). 0 for no lead time; for lead times beyond the horizon the
    horizon's figure grows with the square root of time."""
    if lead_days <= 0:
        return 0.0
    errors = np.nan_to_num(np.atleast_2d(errors))
    if not errors.size:
        return 0.0
    span = min(lead_days, errors.shape[1])
    cumulative = np.concatenate([np.zeros((errors.shape[0], 1)), np.cumsum(errors, axis=1)], axis=1)
    sums = cumulative[:, span:] - cumulative[:, :-span]
    sigma = float(np.sqrt(np.mean(sums**2)))
    return sigma * math.sqrt(lead_days / span)


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
