"""The numeric core on hand-computed cases and on synthetic series with a known pattern."""

import math
from datetime import date, timedelta

import numpy as np
import pytest

from forecasts.engine import (
    BASELINE,
    HORIZON_DAYS,
    INTERMITTENT,
    MONTH,
    SHORT,
    SMOOTH,
    demand_class,
    fill_missing,
    forecast_panel,
    lead_time_sigma,
    panel_build,
    replenishment_plan,
    stockout_days_from_ledger,
    wape,
)
from forecasts.synthetic import synthetic_rows

SEASON_DAYS = 7
Z95 = 1.6448536269514722
END = date(2026, 6, 30)


def plan(**overrides):
    arguments = {
        "forecast": np.full(HORIZON_DAYS, 4.0),
        "sigma_lead": 8.0,
        "on_hand": 12.0,
        "on_order": 0.0,
        "committed": 0.0,
        "lead_time_days": 7,
        "review_days": 7,
        "pack_size": 10.0,
        "service_level": 0.95,
        "min_stock": 0.0,
    }
    arguments.update(overrides)
    return replenishment_plan(**arguments)


def test_replenishment_formulas_on_a_hand_computed_case():
    result = plan()

    assert result.demand_lead == pytest.approx(28.0)  # 4 a day over 7 days of lead time
    assert result.safety_stock == pytest.approx(Z95 * 8)  # 13.16
    assert result.reorder_point == pytest.approx(28 + Z95 * 8)  # 41.16
    assert result.order_up_to == pytest.approx(28 + Z95 * 8 + 28)  # + 7 days of review period
    assert result.position == 12
    # 69.16 - 12 = 57.16 -> 6 packs of 10
    assert (result.packs, result.quantity) == (6, 60.0)


def test_stock_on_order_counts_in_the_position():
    assert plan(on_order=30.0).quantity == 0  # position 42 is above the reorder point 41.16
    result = plan(on_order=20.0)  # position 32: 69.16 - 32 = 37.16 -> 4 packs
    assert (result.position, result.packs, result.quantity) == (32.0, 4, 40.0)


def test_committed_stock_lowers_the_position():
    result = plan(on_hand=50.0, committed=20.0)

    assert result.position == 30.0
    assert result.packs == 4  # 69.16 - 30 = 39.16


def test_an_exact_number_of_packs_is_not_rounded_up_further():
    result = plan(
        forecast=np.full(HORIZON_DAYS, 5.0), sigma_lead=0.0, on_hand=0.0, lead_time_days=5, review_days=5
    )

    assert (result.reorder_point, result.order_up_to) == (25.0, 50.0)
    assert (result.packs, result.quantity) == (5, 50.0)


def test_a_partial_pack_is_rounded_up_to_a_whole_one():
    result = plan(
        forecast=np.full(HORIZON_DAYS, 5.0), sigma_lead=0.0, on_hand=1.0, lead_time_days=5, review_days=5
    )

    assert (result.packs, result.quantity) == (5, 50.0)  # 49 needed, packs of 10
    assert plan(pack_size=12.0).quantity == 60.0  # 57.16 -> 5 packs of 12


def test_minimum_stock_is_a_floor_for_the_reorder_point():
    result = plan(forecast=np.zeros(HORIZON_DAYS), sigma_lead=0.0, on_hand=3.0, min_stock=5.0)

    assert result.reorder_point == 5.0
    assert result.quantity == 10.0  # up to 5 from 3: one pack of 10


def test_lead_time_sigma_is_the_rms_of_the_summed_errors():
    errors = np.array([[1.0, -1.0, 2.0, 0.0]])

    # Sums over 2 days: 0, 1, 2 -> sqrt((0 + 1 + 4) / 3)
    assert lead_time_sigma(errors, 2) == pytest.approx(math.sqrt(5 / 3))
    assert lead_time_sigma(errors, 0) == 0.0
    # Beyond the horizon the horizon's figure grows with the square root of time.
    assert lead_time_sigma(errors, 8) == pytest.approx(abs(2.0) * math.sqrt(2))


def test_wape_leaves_stockout_days_out():
    actual = np.array([10.0, np.nan, 10.0])
    predicted = np.array([8.0, 100.0, 12.0])

    assert wape(actual, predicted) == pytest.approx(4 / 20)


def test_stockout_days_come_from_the_closing_stock():
    first = {(1, 1): END - timedelta(days=3)}
    movements = [
        (1, 1, END - timedelta(days=3), 5.0),  # received 5
        (1, 1, END - timedelta(days=2), -3.0),
        (1, 1, END - timedelta(days=1), -2.0),  # sold the last ones
        (1, 1, END + timedelta(days=1), 4.0),  # received after the history: today
    ]

    days = stockout_days_from_ledger(
        first_days=first,
        known_from={(1, 1): END - timedelta(days=3)},
        movements=movements,
        on_hand={(1, 1): 4.0},
        end=END,
    )

    assert days == [(1, 1, END - timedelta(days=1)), (1, 1, END)]


def test_days_without_stock_knowledge_are_never_stockouts():
    # Sales imported for 30 days before the opening stock was counted (5 units, 4 days ago), and
    # a product whose stock was never recorded: no closing stock is known on those days.
    first = {(1, 1): END - timedelta(days=30), (2, 1): END - timedelta(days=30)}
    movements = [(1, 1, END - timedelta(days=3), 5.0)]

    days = stockout_days_from_ledger(
        first_days=first,
        known_from={(1, 1): END - timedelta(days=3)},
        movements=movements,
        on_hand={(1, 1): 5.0},
        end=END,
    )

    assert days == []


def test_a_stockout_day_is_missing_not_zero_demand():
    first = {(1, 1): END - timedelta(days=9)}
    sales = [(1, 1, END - timedelta(days=d), 6.0) for d in range(2, 10)]

    panel = panel_build(
        first_days=first, sales=sales, stockout_days=[(1, 1, END - timedelta(days=1)), (1, 1, END)], end=END
    )

    assert np.isnan(panel.y[-2:]).all()
    assert fill_missing(panel)[-2:].tolist() == [6.0, 6.0]


def test_demand_classes():
    assert demand_class(np.full(200, 3.0)) == SMOOTH
    assert demand_class(np.tile([0.0, 0.0, 1.0], 70)) == INTERMITTENT
    assert demand_class(np.array([0.0, 0.0, 0.0, 3.0])) == SHORT


def test_short_history_gets_a_flagged_moving_average():
    first = {(1, 1): END - timedelta(days=9)}
    sales = [(1, 1, END - timedelta(days=d), float(d % 3)) for d in range(10)]
    panel = panel_build(first_days=first, sales=sales, stockout_days=[], end=END)

    (result,) = forecast_panel(panel, n_jobs=1)

    assert result.short_history and result.model == "MovingAverage"
    # One whole week (the last 7 days: 0+1+2+0+1+2+0 = 6 units), nothing else to average.
    assert result.periods == pytest.approx(np.full(8, 6.0))
    assert result.forecast.sum() == pytest.approx(48.0)
    assert result.wape is None and result.beats_naive is None


@pytest.mark.parametrize("kind", ["seasonal", "trend", "intermittent"])
def test_the_chosen_models_beat_seasonal_naive_on_a_known_pattern(kind):
    first, sales, stockouts, truth = synthetic_rows(
        40, days=400 + HORIZON_DAYS, end=END + timedelta(days=HORIZON_DAYS), seed=7, intermittent_share=0.0
    )
    if kind == "intermittent":
        first, sales, stockouts, truth = synthetic_rows(
            40,
            days=400 + HORIZON_DAYS,
            end=END + timedelta(days=HORIZON_DAYS),
            seed=7,
            intermittent_share=1.0,
        )
    wanted = [i for i, one in enumerate(truth) if one.kind == kind]
    keys = sorted(first)
    panel = panel_build(
        first_days={keys[i]: first[keys[i]] for i in wanted}, sales=sales, stockout_days=stockouts, end=END
    )
    results = forecast_panel(panel, n_jobs=1, ets_max_series=10)
    filled = fill_missing(panel)

    model_error = naive_error = 0.0
    for row, (i, result) in enumerate(zip(wanted, results, strict=True)):
        actual = truth[i].demand[-HORIZON_DAYS:]
        history = filled[panel.offsets[row] : panel.offsets[row + 1]]
        naive = np.tile(history[-SEASON_DAYS:], HORIZON_DAYS // SEASON_DAYS)
        model_error += np.abs(actual - result.forecast).sum()
        naive_error += np.abs(actual - naive).sum()
    assert model_error < naive_error  # on the 8 weeks the engine never saw
    assert all(r.windows >= 2 and r.wape is not None for r in results)
    if kind == "intermittent":
        # Slow movers by the day; in weeks, the slowest are still intermittent.
        assert INTERMITTENT in {r.demand_class for r in results}
        assert any(r.model != BASELINE for r in results)


def test_a_long_stockout_reads_as_the_demand_seen_before_it():
    first = {(1, 1): END - timedelta(days=299)}
    sales = [(1, 1, END - timedelta(days=d), 3.0) for d in range(90, 300)]
    out = [(1, 1, END - timedelta(days=d)) for d in range(90)]  # the last 90 days without stock
    panel = panel_build(first_days=first, sales=sales, stockout_days=out, end=END)

    assert fill_missing(panel)[-90:] == pytest.approx(np.full(90, 3.0))
    (result,) = forecast_panel(panel, n_jobs=1)
    assert result.forecast == pytest.approx(np.full(HORIZON_DAYS, 3.0))


def _monthly_panel(months: int, units, end: date):
    """One series with one sales row a month (dated the 1st), as a monthly history import gives."""
    first_month = date(end.year, end.month, 1)
    days = []
    for k in range(months):
        index = first_month.year * 12 + first_month.month - 1 - k
        days.append(date(index // 12, index % 12 + 1, 1))
    days.reverse()
    sales = [(1, 1, day, float(units(k))) for k, day in enumerate(days) if units(k) > 0]
    return panel_build(first_days={(1, 1): days[0]}, sales=sales, stockout_days=[], end=end), days


def test_a_monthly_history_is_modelled_in_months():
    end = date(2026, 5, 31)
    panel, days = _monthly_panel(36, lambda k: 30 + (k % 2) * 10, end)

    (result,) = forecast_panel(panel)

    assert result.grain == MONTH and not result.short_history
    assert result.period_starts[0] == date(2026, 6, 1) and len(result.periods) == 6
    assert result.windows == 6 and result.wape is not None and result.ma_wape is not None
    assert 25 <= result.periods[0] <= 45
    # The daily forecast spreads each month over its days: June's total over its 30 days.
    assert result.forecast[:30].sum() == pytest.approx(result.periods[0])


def test_the_backtest_is_out_of_sample():
    # A series that doubles at the end of its history: a model fit on all of it would look
    # perfect on its own past, the backtest never sees what followed each cutoff.
    end = date(2026, 5, 31)
    panel, _days = _monthly_panel(36, lambda k: 10 if k < 30 else 40, end)

    (result,) = forecast_panel(panel)

    assert result.wape > 0.1


def test_lead_time_sigma_in_weeks_uses_the_weekly_errors():
    errors = np.array([[7.0, -7.0, 14.0, 0.0]])  # weekly errors

    assert lead_time_sigma(errors, 7, 7) == pytest.approx(math.sqrt((49 + 49 + 196 + 0) / 4))
    assert lead_time_sigma(errors, 14, 7) == pytest.approx(math.sqrt((0 + 49 + 196) / 3))
