"""A big import runs in a real Celery worker (a separate process on the test database): queued on
commit, claimed once, progress polled through the status endpoint up to 100, all rows written.

Runs in its own committed workspace (the worker must see the data), dropped at the end.
"""

import shutil
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.models import User
from inventory.dates import workspace_today
from inventory.imports import services
from inventory.imports.services import SYNC_MAX_ROWS, import_job_create, import_job_start
from inventory.imports.tasks import import_job_run_task
from inventory.models import ImportJob, Location, Sale
from inventory.selectors import sales_history
from tenants.models import Tenant
from tenants.services import tenant_create
from tests.conftest import PASSWORD, ROOT, _process_env, _stop, host_of, in_schema

SLUG = "imports-worker"
TASK_MODULE = "inventory.imports.tasks"
FALLBACK_QUEUE = "inventory-imports-test"


@pytest.fixture
def imports_worker(request, workspaces, tmp_path):
    """The session's Celery worker once ``inventory.imports.tasks`` is in CELERY_IMPORTS; until
    then a worker of this test's own that includes the module and listens on its own queue (so the
    session worker, which does not know the task, never takes it). Yields that queue (or None)."""
    if TASK_MODULE in settings.CELERY_IMPORTS:
        request.getfixturevalue("celery_worker_process")
        yield None
        return
    log = tmp_path / "imports-worker.log"
    with open(log, "w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "-l", "info"]
            + ["-I", TASK_MODULE, "-Q", FALLBACK_QUEUE, "-n", f"imports-test-{time.monotonic_ns()}@%h"],
            cwd=ROOT,
            env=_process_env(),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while "ready." not in log.read_text():
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the imports worker did not start: {log.read_text()[-2000:]}")
            time.sleep(0.2)
        yield FALLBACK_QUEUE
    finally:
        _stop(process)


@pytest.fixture
def worker_workspace(committed):
    leftover = Tenant.objects.filter(slug=SLUG).first()
    if leftover is not None:
        leftover.delete(force_drop=True)
    tenant = tenant_create(
        slug=SLUG, name="Imports Worker", owner_email=f"owner@{SLUG}.test", owner_password=PASSWORD
    )
    try:
        yield tenant
    finally:
        tenant.delete(force_drop=True)
        shutil.rmtree(Path(settings.MEDIA_ROOT) / "imports" / tenant.schema_name, ignore_errors=True)


def history_csv(rows: int) -> str:
    day = workspace_today() - timedelta(days=30)
    lines = ["InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country"]
    for n in range(rows):
        invoice = f"C{n // 4}" if n % 50 == 0 else str(n // 4)
        quantity = -1 if n % 50 == 0 else 1 + n % 3
        when = day + timedelta(days=n % 20)
        lines.append(f"{invoice},SKU-{n % 40},Artículo {n % 40},{quantity},{when} 10:00:00,2.5,,Argentina")
    return "\n".join(lines) + "\n"


def test_a_big_file_imports_in_the_background_worker_with_progress_to_100(
    imports_worker, worker_workspace, monkeypatch
):
    if imports_worker is not None:  # the fallback worker listens on its own queue
        monkeypatch.setattr(
            services,
            "_send",
            lambda job_id, schema: import_job_run_task.apply_async((job_id, schema), queue=imports_worker),
        )
    rows = SYNC_MAX_ROWS + 1_000
    with in_schema(worker_workspace):
        owner = User.objects.get(email=f"owner@{SLUG}.test")
        store = Location.objects.create(name="Depósito central")
        job = import_job_create(
            user=owner,
            kind=ImportJob.Kind.SALES_HISTORY,
            file=SimpleUploadedFile("ventas.csv", history_csv(rows).encode()),
            default_location=store,
        )
        job = import_job_start(job=job, user=owner, dry_run=False)
        assert job.status == ImportJob.Status.QUEUED  # big: left to the worker
    client = Client(HTTP_HOST=host_of(worker_workspace))  # no `db` fixture: every write commits
    with in_schema(worker_workspace):
        client.force_login(owner, backend="django.contrib.auth.backends.ModelBackend")
    status_url = reverse("workspace:import_status", args=[job.pk])

    seen = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        status = client.get(status_url).json()
        seen.append(status["progress"])
        if not status["active"]:
            break
        time.sleep(0.2)

    assert status["status"] == "done", status
    assert status["progress"] == 100 and seen == sorted(seen)
    with in_schema(worker_workspace):
        job.refresh_from_db()
        assert job.counts["rows"] == rows and job.counts["products_created"] == 40
        assert Sale.objects.count() == job.counts["sales_created"] + job.counts["returns_created"]
        history = sales_history(date_from=workspace_today() - timedelta(days=30), date_to=workspace_today())
        expected = sum((-1 if n % 50 == 0 else 1 + n % 3) for n in range(rows))
        assert sum(row.quantity for row in history) == expected
    # A redelivered task finds the job no longer queued and leaves it alone.
    result = import_job_run_task.apply_async(
        (job.pk, worker_workspace.schema_name), queue=imports_worker or "celery"
    )
    assert result.get(timeout=30) is None
