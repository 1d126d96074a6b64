"""Believable synthetic daily demand (benchmark, tests, demo shop): weekly and yearly seasonality,
trend, slow movers with intermittent demand, and a few stockouts. Pure numpy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

WEEKDAY_PROFILE = np.array([0.85, 0.8, 0.9, 0.95, 1.15, 1.45, 0.9])  # Monday .. Sunday


@dataclass(frozen=True)
class SyntheticSeries:
    kind: str  # "seasonal", "trend" or "intermittent"
    demand: np.ndarray  # true daily demand (before stockouts)
    stockout: np.ndarray  # bool per day


def synthetic_series(
    kind: str, *, days: int, end: date, rng: np.random.Generator, stockout_episodes: int = 0
) -> SyntheticSeries:
    """One series of ``days`` days ending on ``end``."""
    start = end - timedelta(days=days - 1)
    weekday = (np.arange(days) + start.weekday()) % 7
    day_of_year = (np.arange(days) + start.timetuple().tm_yday) % 365.25
    yearly = 1 + rng.uniform(0.1, 0.35) * np.sin(2 * np.pi * (day_of_year - 80) / 365.25)
    if kind == "intermittent":
        probability = rng.uniform(0.05, 0.35)
        sizes = 1 + rng.poisson(rng.uniform(0.3, 2.5), days)
        demand = np.where(rng.random(days) < probability * yearly, sizes, 0).astype(float)
    else:
        level = float(np.exp(rng.normal(2.0, 0.6)))
        trend = (
            1
            + (rng.uniform(-0.3, 0.6) if kind == "trend" else rng.uniform(-0.1, 0.1)) * np.arange(days) / 365
        )
        mean = level * WEEKDAY_PROFILE[weekday] * yearly * np.maximum(trend, 0.2)
        demand = rng.poisson(mean).astype(float)
    stockout = np.zeros(days, dtype=bool)
    for _ in range(stockout_episodes):
        length = int(rng.integers(3, 10))
        first = int(rng.integers(0, days - length))
        stockout[first : first + length] = True
    return SyntheticSeries(kind=kind, demand=demand, stockout=stockout)


def synthetic_rows(
    count: int, *, days: int, end: date, seed: int = 0, intermittent_share: float = 0.6
) -> tuple[dict[tuple[int, int], date], pd.DataFrame, pd.DataFrame, list[SyntheticSeries]]:
    """``count`` series as the job reads them: first days, sales rows (product, location, day,
    quantity; stockout days sell what was left, here nothing) and stockout days."""
    rng = np.random.default_rng(seed)
    start = end - timedelta(days=days - 1)
    calendar = pd.date_range(start, periods=days, freq="D").to_numpy()
    first_days, series = {}, []
    sold_parts, out_parts = [], []
    for n in range(count):
        draw = rng.random()
        kind = (
            "intermittent"
            if draw < intermittent_share
            else ("trend" if draw < intermittent_share + 0.2 else "seasonal")
        )
        one = synthetic_series(kind, days=days, end=end, rng=rng, stockout_episodes=int(rng.random() < 0.2))
        series.append(one)
        key = (n // 4 + 1, n % 4 + 1)  # 4 locations per product
        first_days[key] = start
        sold_parts.append(np.flatnonzero((one.demand > 0) & ~one.stockout).astype(np.int32))
        out_parts.append(np.flatnonzero(one.stockout).astype(np.int32))

    def rows(parts: list[np.ndarray]) -> dict[str, np.ndarray]:
        # One allocation per column (10,000 series make millions of rows).
        sizes = np.array([len(part) for part in parts], dtype=np.int64)
        owner = np.repeat(np.arange(len(parts), dtype=np.int32), sizes)
        offsets = np.concatenate([[0], np.cumsum(sizes)])
        day_index = np.empty(int(sizes.sum()), dtype=np.int32)
        for n, part in enumerate(parts):
            day_index[offsets[n] : offsets[n + 1]] = part
        return {
            "product_id": owner // 4 + 1,
            "location_id": owner % 4 + 1,
            "day": calendar[day_index],
            "owner": owner,
            "day_index": day_index,
        }

    sold = rows(sold_parts)
    del sold_parts
    quantity = np.empty(len(sold["owner"]), dtype=float)
    position = 0
    for one in series:
        days_sold = np.flatnonzero((one.demand > 0) & ~one.stockout)
        quantity[position : position + len(days_sold)] = one.demand[days_sold]
        position += len(days_sold)
    sales = pd.DataFrame(
        {
            "product_id": sold["product_id"],
            "location_id": sold["location_id"],
            "day": sold["day"],
            "quantity": quantity,
        },
        copy=False,
    )
    out = rows(out_parts)
    stockouts = pd.DataFrame(
        {"product_id": out["product_id"], "location_id": out["location_id"], "day": out["day"]}, copy=False
    )
    return first_days, sales, stockouts, series
