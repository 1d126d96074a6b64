"""Test fixtures: workspaces created once per session (committed), clients per workspace,
and real processes (a Celery worker, a gunicorn server) running against the test database."""

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context

from config.celery import app
from demo.seed import DEMO_WORKSPACES
from tenants.models import Tenant
from tenants.services import domain_for, platform_ensure, tenant_create

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct-horse-battery-staple"


@dataclass(frozen=True)
class Workspaces:
    alpha: Tenant
    beta: Tenant
    suspended: Tenant
    gamma: Tenant


def _ensure_workspace(slug: str, *, status: str = Tenant.Status.TRIAL) -> Tenant:
    tenant = Tenant.objects.filter(slug=slug).first()
    if tenant is None:
        tenant = tenant_create(
            slug=slug, name=f"{slug.title()} SRL", owner_email=f"owner@{slug}.test", owner_password=PASSWORD
        )
    if tenant.status != status:
        tenant.status = status
        tenant.save(update_fields=["status"])
    return tenant


@pytest.fixture(scope="session")
def workspaces(django_db_setup, django_db_blocker) -> Workspaces:
    """alpha and beta (two ordinary workspaces), a suspended one and a third, gamma.

    Created once and committed, so that other processes (worker, web server) see them; with
    --reuse-db they are found again on the next run instead of being created. They start empty:
    each test makes what it needs (the demo platform has its own test, tests/demo/).
    """
    with django_db_blocker.unblock():
        platform_ensure()
        return Workspaces(
            alpha=_ensure_workspace("alpha"),
            beta=_ensure_workspace("beta"),
            suspended=_ensure_workspace("dormant", status=Tenant.Status.SUSPENDED),
            gamma=_ensure_workspace("gamma"),
        )


@pytest.fixture(scope="session")
def demo_platform(workspaces, django_db_blocker):
    """The demo platform of `make run` (``manage.py seed_demo``), for the tests of the demo itself.

    Seeded once, committed (the browser signs in through gunicorn); its workspaces are dropped at
    the end of the session, so that the test database keeps only what the tests create (the
    super-admin row stays: deleting a user from the public schema would cascade into tables that
    only workspace schemas have).
    """
    with django_db_blocker.unblock():
        call_command("seed_demo")
        demo = list(Tenant.objects.filter(slug__in=[workspace.slug for workspace in DEMO_WORKSPACES]))
    yield {tenant.slug: tenant for tenant in demo}
    with django_db_blocker.unblock():
        for tenant in demo:
            tenant.delete(force_drop=True)


@pytest.fixture(autouse=True)
def _clean_slate():
    """Each test starts on the public schema with an empty cache (allauth's rate limits live there)."""
    cache.clear()
    yield
    connection.set_schema_to_public()


@pytest.fixture
def committed(django_db_blocker):
    """Write outside the per-test transaction (for data another process must see)."""
    with django_db_blocker.unblock():
        yield


def host_of(tenant: Tenant) -> str:
    return domain_for(tenant.slug)


@pytest.fixture
def client_for(db, workspaces):
    """client_for(tenant) -> a Django test client whose requests go to that workspace's host."""

    def make(tenant: Tenant | None = None) -> Client:
        host = settings.BASE_DOMAIN if tenant is None else host_of(tenant)
        return Client(HTTP_HOST=host)

    return make


def in_schema(tenant: Tenant):
    return schema_context(tenant.schema_name)


# --- Real processes against the test database -------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _process_env() -> dict:
    """The environment of a child process that must use this session's test database."""
    db = connection.settings_dict
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    env["DATABASE_URL"] = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env["REDIS_URL"] = settings.REDIS_URL
    return env


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def celery_worker_process(workspaces, tmp_path_factory):
    """A real Celery worker (separate process) consuming from the test Redis database."""
    app.control.purge()
    log = tmp_path_factory.mktemp("worker") / "worker.log"
    with open(log, "w") as out:
        process = subprocess.Popen(
            # Prefork, as in production (scripts/dev/run.sh, docker): its children are daemonic
            # processes, which may not start processes of their own (the forecast engine's rule).
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=prefork",
                "-c",
                "1",
                "-l",
                "info",
            ],
            cwd=ROOT,
            env=_process_env(),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the Celery worker exited: {log.read_text()[-2000:]}")
        if app.control.ping(timeout=0.5):
            break
    else:
        _stop(process)
        pytest.fail(f"the Celery worker did not answer: {log.read_text()[-2000:]}")
    yield process
    _stop(process)


@pytest.fixture(scope="session")
def live_server_url(workspaces, tmp_path_factory):
    """gunicorn (the production WSGI server) serving the test database on a free port."""
    port = _free_port()
    log = tmp_path_factory.mktemp("web") / "gunicorn.log"
    with open(log, "w") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "-b",
                f"127.0.0.1:{port}",
                "-w",
                "2",
            ],
            cwd=ROOT,
            env=_process_env(),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited: {log.read_text()[-2000:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.2)
    yield f"http://{{host}}:{port}"
    _stop(process)
