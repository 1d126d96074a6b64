"""Exports and forecast runs whose worker died: their heartbeat stops, the reaper marks them failed
with the reason (shown next to a "Run again" button), and a task redelivered after the worker's
death picks its job up again; a duplicate delivery of a job alive is left alone."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.models import User
from forecasts.models import ForecastRun
from forecasts.services import forecast_runs_reap_stalled
from forecasts.tasks import forecast_run_task
from tenants.data_rights import data_export_request, data_exports_reap_stalled
from tenants.models import DataExport
from tenants.tasks import build_data_export
from tests.conftest import in_schema
from tests.forecasts.test_views import on_plan, shop, web_client  # noqa: F401  (the shop fixture)

LONG_AGO = timedelta(seconds=settings.JOB_HEARTBEAT_SECONDS + 60)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def owner_of(tenant):
    with in_schema(tenant):
        return User.objects.get(email=f"owner@{tenant.slug}.test")


def running_export(tenant, *, heartbeat_age: timedelta) -> DataExport:
    owner = owner_of(tenant)
    return DataExport.objects.create(
        tenant=tenant,
        requested_by_id=owner.pk,
        requested_by_email=owner.email,
        status=DataExport.Status.RUNNING,
        progress=40,
        created_at=timezone.now() - heartbeat_age,
        heartbeat_at=timezone.now() - heartbeat_age,
    )


def test_an_export_whose_worker_died_is_failed_with_the_reason_and_runs_again(client_for, workspaces):
    stalled = running_export(workspaces.alpha, heartbeat_age=LONG_AGO)
    alive = running_export(workspaces.beta, heartbeat_age=timedelta(seconds=5))

    assert data_exports_reap_stalled() == [stalled.pk]
    assert data_exports_reap_stalled() == []  # safe to run twice

    stalled.refresh_from_db()
    alive.refresh_from_db()
    assert stalled.status == DataExport.Status.FAILED and "se interrumpió" in stalled.error
    assert alive.status == DataExport.Status.RUNNING
    client = client_for(workspaces.alpha)
    with in_schema(workspaces.alpha):
        client.force_login(owner_of(workspaces.alpha), backend="django.contrib.auth.backends.ModelBackend")
    page = client.get("/settings/data/")
    assert 'data-testid="export-failed"' in page.text and "se interrumpió" in page.text
    assert 'data-testid="export-run-again"' in page.text
    assert client.post("/settings/data/export/").status_code == 302
    assert DataExport.objects.filter(tenant=workspaces.alpha).count() == 2  # a new one, queued


def test_a_redelivered_export_task_picks_its_export_up_again(db, workspaces):
    stalled = running_export(workspaces.alpha, heartbeat_age=LONG_AGO)
    alive = running_export(workspaces.beta, heartbeat_age=timedelta(seconds=5))

    with in_schema(workspaces.alpha):
        assert build_data_export(stalled.pk) == DataExport.Status.DONE
    with in_schema(workspaces.beta):
        assert build_data_export(alive.pk) == DataExport.Status.RUNNING  # its worker is alive

    stalled.refresh_from_db()
    assert stalled.file and stalled.progress == 100 and stalled.heartbeat_at > timezone.now() - LONG_AGO
    assert DataExport.objects.get(pk=alive.pk).progress == 40


def test_asking_again_for_an_export_still_waiting_queues_it_again(
    db, workspaces, django_capture_on_commit_callbacks
):
    owner = owner_of(workspaces.alpha)
    with django_capture_on_commit_callbacks(execute=False) as first:
        export = data_export_request(tenant=workspaces.alpha, user=owner)
    with django_capture_on_commit_callbacks(execute=False) as soon:
        assert data_export_request(tenant=workspaces.alpha, user=owner) == export
    DataExport.objects.filter(pk=export.pk).update(created_at=timezone.now() - timedelta(minutes=3))
    with django_capture_on_commit_callbacks(execute=False) as later:
        assert data_export_request(tenant=workspaces.alpha, user=owner) == export

    assert (len(first), len(soon), len(later)) == (1, 0, 1)  # re-sent once it looks lost
    assert DataExport.objects.filter(tenant=workspaces.alpha).count() == 1


def test_a_forecast_run_whose_worker_died_is_failed_and_a_redelivery_finishes_it(
    shop,  # noqa: F811
    client_for,
    workspaces,
):
    with in_schema(workspaces.alpha):
        run = ForecastRun.objects.create(status=ForecastRun.Status.RUNNING, progress=30)
        ForecastRun.objects.filter(pk=run.pk).update(updated_at=timezone.now() - LONG_AGO)
        # A redelivered task (the worker that had it was killed) runs it again to the end.
        result = forecast_run_task(workspaces.alpha.schema_name, run.pk)
        assert result["status"] == ForecastRun.Status.DONE

        stalled = ForecastRun.objects.create(status=ForecastRun.Status.RUNNING, progress=30)
        ForecastRun.objects.filter(pk=stalled.pk).update(updated_at=timezone.now() - LONG_AGO)
        assert forecast_runs_reap_stalled() == [stalled.pk]
        assert forecast_runs_reap_stalled() == []
        stalled.refresh_from_db()
        assert stalled.status == ForecastRun.Status.FAILED and "se interrumpió" in stalled.error

        alive = ForecastRun.objects.create(status=ForecastRun.Status.RUNNING, progress=30)
        assert forecast_run_task(workspaces.alpha.schema_name, alive.pk)["status"] == "running"
        assert forecast_runs_reap_stalled() == []
        ForecastRun.objects.filter(pk=alive.pk).delete()

    page = web_client(client_for, workspaces.alpha, shop["owner"]).get("/forecasts/")
    assert 'data-testid="forecast-run-failed"' in page.text and "se interrumpió" in page.text
    assert "Run again" in page.text
