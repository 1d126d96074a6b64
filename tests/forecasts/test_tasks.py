"""The Celery jobs: the nightly fan-out over workspaces and one workspace's run."""

from datetime import timedelta

from django.db import connection

from forecasts import tasks
from forecasts.models import ForecastRun, SeriesForecast
from inventory.dates import workspace_today
from plans.models import Plan
from tenants.models import Tenant
from tests.conftest import in_schema
from tests.forecasts.conftest import history_write
from tests.inventory.factories import LocationFactory, ProductFactory


def test_the_nightly_fan_out_staggers_workspaces_on_plans_with_forecasts(db, workspaces, monkeypatch):
    with_forecasts = Plan.objects.filter(has_forecasts=True).first()
    without = Plan.objects.filter(has_forecasts=False).first()
    Tenant.objects.exclude(pk__in=[workspaces.alpha.pk, workspaces.beta.pk]).update(plan=without)
    Tenant.objects.filter(pk__in=[workspaces.alpha.pk, workspaces.beta.pk]).update(plan=with_forecasts)
    sent = []
    monkeypatch.setattr(
        tasks.current_app,
        "send_task",
        lambda name, args, countdown: sent.append((name, args, countdown, connection.schema_name)),
    )

    schemas = tasks.forecast_nightly_fan_out(stagger_seconds=30)

    assert sorted(schemas) == sorted([workspaces.alpha.schema_name, workspaces.beta.schema_name])
    assert [(name, args[0], countdown, schema) for name, args, countdown, schema in sent] == [
        ("forecasts.tasks.forecast_run_task", schema, 30 * position, schema)
        for position, schema in enumerate(schemas)
    ]


def test_a_workspace_run_works_in_its_own_schema_and_is_safe_to_repeat(db, workspaces):
    yesterday = workspace_today() - timedelta(days=1)
    with in_schema(workspaces.alpha):
        product = ProductFactory(sku="TASK-1")
        location = LocationFactory(name="Task store")
        history_write(product, location, daily=[3.0] * 200, receipts={0: 700.0}, end=yesterday)

    result = tasks.forecast_run_task(workspaces.alpha.schema_name)
    again = tasks.forecast_run_task(workspaces.alpha.schema_name, result["run"])

    assert connection.schema_name == "public"
    assert result["status"] == ForecastRun.Status.DONE and result["series"] == 1
    assert again == {"schema": workspaces.alpha.schema_name, "run": result["run"], "status": "done"}
    with in_schema(workspaces.alpha):
        assert SeriesForecast.objects.count() == 1 and ForecastRun.objects.count() == 1
    with in_schema(workspaces.beta):
        assert not ForecastRun.objects.exists()
