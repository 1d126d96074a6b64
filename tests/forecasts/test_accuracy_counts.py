"""The accuracy screen counts series, never sums errors: how many beat seasonal naive, the moving
average and both, out of those with a backtest."""

from datetime import date

from forecasts.models import ForecastRun, SeriesForecast
from forecasts.selectors import forecast_accuracy
from tests.conftest import in_schema
from tests.inventory.factories import LocationFactory, ProductFactory


def test_the_counts_are_series_that_beat_each_rule(db, workspaces):
    with in_schema(workspaces.alpha):
        run = ForecastRun.objects.create(trigger=ForecastRun.Trigger.MANUAL)
        store = LocationFactory(name="Centro")
        flags = [(True, True, 0.4, 2.5), (True, False, 0.9, 3.1), (None, None, None, None)]
        for n, (naive, average, wape, naive_wape) in enumerate(flags):
            SeriesForecast.objects.create(
                run=run,
                product=ProductFactory(sku=f"ACC-{n}"),
                location=store,
                demand_class=SeriesForecast.DemandClass.SMOOTH,
                model="SES",
                first_day=date(2026, 12, 1),
                daily=[1.0],
                sigma_daily=0.5,
                wape=wape,
                naive_wape=naive_wape,
                moving_average_wape=naive_wape,
                beats_naive=naive,
                beats_moving_average=average,
            )

        accuracy = forecast_accuracy()

    assert (accuracy.series, accuracy.backtested) == (3, 2)
    assert accuracy.beating_naive == 2
    assert accuracy.beating_moving_average == 1
    assert accuracy.beating_both == 1
