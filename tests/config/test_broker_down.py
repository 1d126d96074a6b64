"""The broker (Redis) refuses a job: nothing is left "waiting" forever. The job is marked failed
with the reason, in the user's language, and can be asked for again once the broker is back."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from kombu.exceptions import OperationalError

from accounts.models import User
from config.celery import app as celery_app
from inventory.imports.services import SYNC_MAX_ROWS, import_job_create, import_job_start
from inventory.models import ImportJob, Location
from tenants.data_rights import data_export_request
from tenants.models import DataExport
from tests.conftest import in_schema
from tests.inventory.test_imports_worker import history_csv


@pytest.fixture
def broker_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(celery_app, "send_task", refuse)


def test_a_big_import_the_broker_refuses_fails_with_the_reason_and_runs_again(
    db, workspaces, broker_down, django_capture_on_commit_callbacks, monkeypatch
):
    with in_schema(workspaces.alpha):
        owner = User.objects.get(email="owner@alpha.test")
        job = import_job_create(
            user=owner,
            kind=ImportJob.Kind.SALES_HISTORY,
            file=SimpleUploadedFile("ventas.csv", history_csv(SYNC_MAX_ROWS + 10).encode()),
            default_location=Location.objects.create(name="Centro"),
        )
        with django_capture_on_commit_callbacks(execute=True):
            import_job_start(job=job, user=owner, dry_run=False)

        job.refresh_from_db()
        assert job.status == ImportJob.Status.FAILED
        assert "proceso en segundo plano" in job.errors[0]["message"]
        monkeypatch.undo()  # the broker is back
        sent = []
        monkeypatch.setattr(celery_app, "send_task", lambda name, args=(), **kw: sent.append(name))
        with django_capture_on_commit_callbacks(execute=True):
            import_job_start(job=job, user=owner, dry_run=False)
        assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.QUEUED
        assert sent == ["inventory.imports.tasks.import_job_run_task"]


def test_an_export_the_broker_refuses_fails_and_the_next_request_starts_afresh(
    db, workspaces, broker_down, django_capture_on_commit_callbacks, monkeypatch
):
    with in_schema(workspaces.alpha):
        owner = User.objects.get(email="owner@alpha.test")
    with django_capture_on_commit_callbacks(execute=True):
        first = data_export_request(tenant=workspaces.alpha, user=owner)

    first.refresh_from_db()
    assert first.status == DataExport.Status.FAILED and first.error
    monkeypatch.undo()
    monkeypatch.setattr(celery_app, "send_task", lambda *a, **kw: None)
    second = data_export_request(tenant=workspaces.alpha, user=owner)
    assert second.pk != first.pk and second.status == DataExport.Status.PENDING
