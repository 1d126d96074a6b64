"""Celery through a real worker process and Redis: tasks run in the schema they were sent from,
and periodic work runs once per active workspace."""

import time
from datetime import timedelta

from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from tenants.tasks import for_each_active_tenant, workspace_probe
from tests.conftest import in_schema


def test_task_sent_in_a_workspace_runs_in_that_workspace_schema(celery_worker_process, workspaces):
    with in_schema(workspaces.alpha):
        alpha_result = workspace_probe.delay()
    with in_schema(workspaces.beta):
        beta_result = workspace_probe.delay()

    assert alpha_result.get(timeout=30)["schema"] == workspaces.alpha.schema_name
    assert beta_result.get(timeout=30)["schema"] == workspaces.beta.schema_name


def test_task_sent_from_the_public_site_runs_in_public(celery_worker_process, workspaces):
    assert workspace_probe.delay().get(timeout=30)["schema"] == "public"


def _session(expire_date) -> str:
    store = SessionStore()
    store["probe"] = True
    store.create()
    Session.objects.filter(session_key=store.session_key).update(expire_date=expire_date)
    return store.session_key


def test_periodic_work_runs_once_per_active_workspace(celery_worker_process, workspaces, committed):
    past = timezone.now() - timedelta(days=1)
    future = timezone.now() + timedelta(days=1)
    keys = {}
    for tenant in (workspaces.alpha, workspaces.beta, workspaces.suspended):
        with in_schema(tenant):
            keys[tenant.slug] = (_session(past), _session(future))

    schemas = for_each_active_tenant.delay("tenants.tasks.clear_expired_sessions").get(timeout=30)

    assert workspaces.alpha.schema_name in schemas
    assert workspaces.beta.schema_name in schemas
    assert workspaces.suspended.schema_name not in schemas
    assert "public" not in schemas
    assert len(schemas) == len(set(schemas))
    deadline = time.monotonic() + 30
    remaining = None
    while time.monotonic() < deadline:
        remaining = {}
        for tenant in (workspaces.alpha, workspaces.beta):
            with in_schema(tenant):
                remaining[tenant.slug] = Session.objects.filter(session_key=keys[tenant.slug][0]).exists()
        if not any(remaining.values()):
            break
        time.sleep(0.2)
    assert remaining == {"alpha": False, "beta": False}
    for tenant in (workspaces.alpha, workspaces.beta):
        with in_schema(tenant):  # unexpired sessions are kept
            assert Session.objects.filter(session_key=keys[tenant.slug][1]).exists()
    with in_schema(workspaces.suspended):  # a suspended workspace is left alone
        assert Session.objects.filter(session_key=keys["dormant"][0]).exists()
        Session.objects.all().delete()
    for tenant in (workspaces.alpha, workspaces.beta):
        with in_schema(tenant):
            Session.objects.all().delete()
