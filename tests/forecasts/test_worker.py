"""A forecast requested from the screen runs on a real Celery worker (prefork, as in production), in
its workspace's schema."""

import time
from datetime import timedelta

import pytest

from accounts.models import User
from forecasts.models import ForecastRun, SeriesForecast
from forecasts.services import forecast_run_request
from inventory.dates import workspace_today
from tenants.models import Tenant
from tenants.services import tenant_create
from tests.conftest import PASSWORD, in_schema
from tests.forecasts.conftest import history_write
from tests.inventory.factories import LocationFactory, ProductFactory

SLUG = "forecast-worker"


@pytest.fixture
def own_workspace(workspaces, django_db_blocker):
    """A committed workspace of this test's own (the worker only sees committed data), dropped at the end."""
    with django_db_blocker.unblock():
        leftover = Tenant.objects.filter(slug=SLUG).first()
        if leftover is not None:
            leftover.delete(force_drop=True)
        tenant = tenant_create(
            slug=SLUG, name="Pronósticos SRL", owner_email=f"owner@{SLUG}.test", owner_password=PASSWORD
        )
        try:
            yield tenant
        finally:
            tenant.delete(force_drop=True)


def test_a_requested_run_of_500_series_is_done_by_the_prefork_worker(
    own_workspace, celery_worker_process, django_db_blocker
):
    """From 500 series on the engine would use 2 processes; inside the worker's daemonic child it
    must not ("daemonic processes are not allowed to have children")."""
    with django_db_blocker.unblock(), in_schema(own_workspace):
        owner = User.objects.get(email=f"owner@{SLUG}.test")
        locations = [LocationFactory(name=f"Local {n}") for n in range(4)]
        end = workspace_today() - timedelta(days=1)
        for n in range(125):
            product = ProductFactory(sku=f"W-{n}")
            for k, location in enumerate(locations):
                # A sale every week or two for 20 weeks, 1 to 4 units.
                daily = [
                    float(1 + (n + k) % 4) if d % (7 + 7 * ((n + k) % 2)) == 0 else 0.0 for d in range(140)
                ]
                history_write(product, location, daily=daily, receipts={0: 400.0}, end=end)
        run = forecast_run_request(user=owner)  # autocommit: the task leaves at once

        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            run.refresh_from_db()
            if run.status in (ForecastRun.Status.DONE, ForecastRun.Status.FAILED):
                break
            time.sleep(0.5)

        assert (run.status, run.error, run.progress, run.series_count) == (
            ForecastRun.Status.DONE,
            "",
            100,
            500,
        )
        assert SeriesForecast.objects.count() == 500
        assert not SeriesForecast.objects.filter(short_history=False, windows__lt=2).exists()
