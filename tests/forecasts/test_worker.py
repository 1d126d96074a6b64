"""A forecast requested from the screen runs on a real Celery worker, in its workspace's schema."""

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


def test_a_requested_run_is_done_by_the_worker(own_workspace, celery_worker_process, django_db_blocker):
    with django_db_blocker.unblock(), in_schema(own_workspace):
        owner = User.objects.get(email=f"owner@{SLUG}.test")
        product = ProductFactory(sku="W-1")
        history_write(
            product,
            LocationFactory(name="Depósito"),
            daily=[2.0] * 180,
            receipts={0: 400.0},
            end=workspace_today() - timedelta(days=1),
        )
        run = forecast_run_request(user=owner)  # autocommit: the task leaves at once

        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            run.refresh_from_db()
            if run.status in (ForecastRun.Status.DONE, ForecastRun.Status.FAILED):
                break
            time.sleep(0.5)

        assert (run.status, run.progress, run.series_count) == (ForecastRun.Status.DONE, 100, 1)
        assert SeriesForecast.objects.get().product == product
