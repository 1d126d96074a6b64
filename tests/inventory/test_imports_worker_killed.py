"""A worker killed mid-import (kill -9): the job does not stay "in progress" forever. Its heartbeat
stops, the reaper marks it failed with the reason, nothing was imported, and running it again
imports everything."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from accounts.models import User
from inventory.imports import services
from inventory.imports.services import (
    heartbeat_key,
    import_job_create,
    import_job_start,
    import_jobs_reap_stalled,
    progress_key,
)
from inventory.imports.tasks import import_job_run_task
from inventory.models import ImportJob, Location, Sale
from tests.conftest import ROOT, _process_env, _stop, in_schema
from tests.inventory.test_imports_worker import SLUG, history_csv, worker_workspace  # noqa: F401

QUEUE = "inventory-imports-killed-test"
HEARTBEAT_S = 3
ROWS = 30_000


def start_worker(log_path):
    env = {**_process_env(), "IMPORT_HEARTBEAT_SECONDS": str(HEARTBEAT_S)}
    with open(log_path, "w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "-l", "info"]
            + ["-Q", QUEUE, "-n", f"killed-test-{time.monotonic_ns()}@%h"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 90
    while "ready." not in log_path.read_text():
        if process.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"the worker did not start: {log_path.read_text()[-2000:]}")
        time.sleep(0.2)
    return process


def wait_for(condition, timeout=180, step=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    pytest.fail("timed out waiting")


@override_settings(IMPORT_HEARTBEAT_SECONDS=HEARTBEAT_S)
def test_a_killed_worker_leaves_a_failed_job_that_runs_again_to_the_end(
    workspaces,  # the test database first: the workspace below is committed into it
    worker_workspace,  # noqa: F811
    monkeypatch,
    tmp_path,
):
    monkeypatch.setattr(
        services,
        "_send",
        lambda job_id, schema: import_job_run_task.apply_async((job_id, schema), queue=QUEUE),
    )
    first = start_worker(tmp_path / "worker-1.log")
    try:
        with in_schema(worker_workspace):
            owner = User.objects.get(email=f"owner@{SLUG}.test")
            store = Location.objects.create(name="Depósito central")
            job = import_job_create(
                user=owner,
                kind=ImportJob.Kind.SALES_HISTORY,
                file=SimpleUploadedFile("ventas.csv", history_csv(ROWS).encode()),
                default_location=store,
            )
            job = import_job_start(job=job, user=owner, dry_run=False)

            wait_for(lambda: (cache.get(progress_key(job.pk)) or 0) >= 10)
            os.kill(first.pid, signal.SIGKILL)  # mid-import, as an OOM killer or a crash would
            first.wait(timeout=30)

            job.refresh_from_db()
            assert job.status == ImportJob.Status.RUNNING  # what the user saw until now, forever
            time.sleep(HEARTBEAT_S + 1)
            assert import_jobs_reap_stalled() == [job.pk]

            job.refresh_from_db()
            assert job.status == ImportJob.Status.FAILED
            # In the language the file was imported in (Spanish, the workspace's).
            assert "se interrumpió el proceso en segundo plano" in job.errors[0]["message"]
            assert Sale.objects.count() == 0  # rolled back: nothing half-imported
    finally:
        _stop(first)

    second = start_worker(tmp_path / "worker-2.log")
    try:
        with in_schema(worker_workspace):
            job = import_job_start(job=job, user=owner, dry_run=False)  # "run again"
            wait_for(lambda: ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.DONE)
            job.refresh_from_db()
            assert job.counts["rows"] == ROWS
            assert Sale.objects.count() == job.counts["sales_created"] + job.counts["returns_created"]
    finally:
        _stop(second)


@override_settings(IMPORT_HEARTBEAT_SECONDS=HEARTBEAT_S)
def test_the_reaper_leaves_a_running_import_alone_while_its_heartbeat_lasts(alpha):
    owner = User.objects.get(email="owner@alpha.test")
    job = import_job_create(
        user=owner,
        kind=ImportJob.Kind.SALES_HISTORY,
        file=SimpleUploadedFile("ventas.csv", history_csv(10).encode()),
        default_location=Location.objects.create(name="Centro"),
    )
    long_ago = timezone.now() - timedelta(minutes=10)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING, started_at=long_ago)
    cache.set(heartbeat_key(job.pk), 1, 60)

    assert import_jobs_reap_stalled() == []
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.RUNNING

    cache.delete(heartbeat_key(job.pk))
    assert import_jobs_reap_stalled() == [job.pk]
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.FAILED
