"""Data rights: the owner's export (contents, who may start and download it) and the deletion of
a workspace (confirmation, closing at once, purge after the grace period, undo)."""

import csv
import io
import json
import time
import zipfile
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_exists

from accounts.models import User
from accounts.services import user_create
from audit.models import AuditEvent
from inventory.services import product_create
from tenants.data_rights import workspace_close
from tenants.models import DataExport, Tenant, TenantEvent, WorkspaceDeletion
from tenants.services import tenant_create
from tenants.tasks import build_data_export, purge_closed_workspaces
from tests.conftest import PASSWORD, host_of, in_schema

Status = Tenant.Status


@pytest.fixture(autouse=True)
def _media_in_tmp(request, settings, tmp_path):
    # Exports built in this process go to a temporary folder; the worker test keeps the real
    # MEDIA_ROOT, which the worker process uses too.
    if "celery_worker_process" not in request.fixturenames:
        settings.MEDIA_ROOT = str(tmp_path / "media")


def fresh(tenant: Tenant) -> Tenant:
    return Tenant.objects.get(pk=tenant.pk)


def signed_in(client_for, tenant: Tenant, email: str | None = None):
    client = client_for(tenant)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with in_schema(tenant):
        client.force_login(User.objects.get(email=email or f"owner@{tenant.slug}.test"))
    return client


def export_built(client, tenant: Tenant) -> DataExport:
    """Start an export through the page, then run the Celery task in-process (the test's
    transaction is invisible to a worker)."""
    response = client.post("/settings/data/export/")
    assert response.status_code == 302
    export = DataExport.objects.filter(tenant=tenant).latest("created_at")
    with in_schema(tenant):
        build_data_export(export.pk)
    export.refresh_from_db()
    return export


def unzip(response) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    return {name: archive.read(name) for name in archive.namelist()}


# --- Export ----------------------------------------------------------------------------------------


def test_owner_exports_every_kind_of_record_as_csv_and_json_without_secrets(client_for, workspaces):
    with in_schema(workspaces.alpha):
        product_create(sku="EXP-1", name="Exported yerba", sale_price=123)
        user_create(email="clerk@alpha.test", password=PASSWORD, full_name="Clara Clerk")
    client = signed_in(client_for, workspaces.alpha)

    export = export_built(client, workspaces.alpha)
    status = client.get(f"/settings/data/export/{export.pk}/status/").json()
    download = client.get(status["download_url"])

    assert export.status == DataExport.Status.DONE
    assert status["progress"] == 100
    assert export.file.name.startswith("exports/alpha/") and len(export.file.name) > 50
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert "attachment" in download["Content-Disposition"]
    files = unzip(download)
    assert {"csv/inventory.product.csv", "json/inventory.product.json", "csv/accounts.user.csv"} <= set(files)
    assert {"csv/audit.auditevent.csv", "json/audit.auditevent.json", "manifest.json"} <= set(files)
    assert not any("sessions.session" in name for name in files)  # Django's sessions, not classes
    products = list(csv.DictReader(io.StringIO(files["csv/inventory.product.csv"].decode("utf-8-sig"))))
    product = next(row for row in products if row["sku"] == "EXP-1")
    assert product["name"] == "Exported yerba"
    assert product["sale_price"] == "123.00"
    users = json.loads(files["json/accounts.user.json"])
    clerk = next(user for user in users if user["email"] == "clerk@alpha.test")
    assert clerk["full_name"] == "Clara Clerk"
    assert "password" not in clerk
    assert "password" not in files["csv/accounts.user.csv"].decode("utf-8-sig").splitlines()[0].split(",")
    with in_schema(workspaces.alpha):
        hashes = list(User.objects.values_list("password", flat=True))
    assert all(h.encode() not in content for h in hashes for content in files.values())
    assert not any(b"md5$" in content for content in files.values())
    manifest = json.loads(files["manifest.json"])
    assert manifest["workspace"] == "alpha"
    assert manifest["records"]["inventory.product"] >= 1
    with in_schema(workspaces.alpha):
        event = AuditEvent.objects.get(action=AuditEvent.Action.DATA_EXPORTED)
    assert event.actor_email == "owner@alpha.test"
    assert event.data["export_id"] == export.pk


def test_data_page_shows_progress_of_an_export_under_way(client_for, workspaces):
    client = signed_in(client_for, workspaces.alpha)
    client.post("/settings/data/export/")
    export = DataExport.objects.get(tenant=workspaces.alpha)

    page = client.get("/settings/data/")
    status = client.get(f"/settings/data/export/{export.pk}/status/").json()
    again = client.post("/settings/data/export/")

    assert page.status_code == 200
    assert f'data-export-status-url="/settings/data/export/{export.pk}/status/"' in page.text
    assert status == {
        "id": export.pk,
        "status": "pending",
        "status_display": "Waiting",
        "progress": 0,
        "download_url": None,
    }
    assert again.status_code == 302
    assert DataExport.objects.filter(tenant=workspaces.alpha).count() == 1  # one at a time


def test_only_the_owner_can_start_or_download_an_export(client_for, workspaces):
    with in_schema(workspaces.alpha):
        user_create(email="admin@alpha.test", password=PASSWORD, role=User.Role.ADMIN)
    export = export_built(signed_in(client_for, workspaces.alpha), workspaces.alpha)
    admin = signed_in(client_for, workspaces.alpha, "admin@alpha.test")
    anonymous = client_for(workspaces.alpha)

    assert admin.get("/settings/data/").status_code == 403
    assert admin.post("/settings/data/export/").status_code == 403
    assert admin.get(f"/settings/data/export/{export.pk}/status/").status_code == 403
    assert admin.get(f"/settings/data/export/{export.pk}/download/").status_code == 403
    assert anonymous.get(f"/settings/data/export/{export.pk}/download/").status_code == 302
    assert DataExport.objects.filter(tenant=workspaces.alpha).count() == 1


def test_another_workspace_cannot_reach_an_export(client_for, workspaces):
    alpha_owner = signed_in(client_for, workspaces.alpha)
    export = export_built(alpha_owner, workspaces.alpha)
    beta_owner = signed_in(client_for, workspaces.beta)
    stolen_session = client_for(workspaces.beta)
    stolen_session.cookies["sessionid"] = alpha_owner.cookies["sessionid"].value

    assert beta_owner.get(f"/settings/data/export/{export.pk}/download/").status_code == 404
    assert beta_owner.get(f"/settings/data/export/{export.pk}/status/").status_code == 404
    assert stolen_session.get(f"/settings/data/export/{export.pk}/download/").status_code == 302
    assert "Exported" not in beta_owner.get("/settings/data/").text


def test_export_built_in_the_wrong_schema_is_refused(db, workspaces):
    with in_schema(workspaces.alpha):
        owner = User.objects.get(email="owner@alpha.test")
    export = DataExport.objects.create(
        tenant=workspaces.alpha, requested_by_id=owner.pk, requested_by_email=owner.email
    )

    with in_schema(workspaces.beta), pytest.raises(RuntimeError):
        build_data_export(export.pk)

    export.refresh_from_db()
    assert export.status == DataExport.Status.PENDING and not export.file


def test_export_through_the_celery_worker(celery_worker_process, workspaces, committed):
    """The whole path with a real worker: the page starts it, the worker builds it, the page polls."""
    with in_schema(workspaces.alpha):
        last_audit = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        owner = User.objects.get(email="owner@alpha.test")
    client = Client(HTTP_HOST=host_of(workspaces.alpha))
    with in_schema(workspaces.alpha):
        client.force_login(owner)
    try:
        client.post("/settings/data/export/")
        export = DataExport.objects.filter(tenant=workspaces.alpha).latest("created_at")
        status = {}
        deadline = timezone.now() + timedelta(seconds=60)
        while timezone.now() < deadline:
            status = client.get(f"/settings/data/export/{export.pk}/status/").json()
            if status["status"] in ("done", "failed"):
                break
            time.sleep(0.2)
        assert status["status"] == "done", status
        files = unzip(client.get(status["download_url"]))
        assert "json/accounts.user.json" in files
    finally:
        for leftover in DataExport.objects.filter(tenant=workspaces.alpha):
            if leftover.file:
                leftover.file.delete(save=False)
            leftover.delete()
        with in_schema(workspaces.alpha):
            AuditEvent.objects.filter(id__gt=last_audit).delete()
            Session.objects.all().delete()


# --- Deletion --------------------------------------------------------------------------------------


def test_wrong_confirmation_is_refused_and_changes_nothing(client_for, workspaces):
    client = signed_in(client_for, workspaces.alpha)

    response = client.post("/settings/delete/", {"confirmation": "beta"})

    assert response.status_code == 400
    assert "Type the subdomain exactly" in response.text
    assert fresh(workspaces.alpha).status == Status.TRIAL
    assert not WorkspaceDeletion.objects.filter(tenant=workspaces.alpha).exists()
    assert client.get("/").status_code == 200


def test_only_the_owner_can_delete_the_workspace(client_for, workspaces):
    with in_schema(workspaces.alpha):
        user_create(email="admin@alpha.test", password=PASSWORD, role=User.Role.ADMIN)
    admin = signed_in(client_for, workspaces.alpha, "admin@alpha.test")

    assert admin.post("/settings/delete/", {"confirmation": "alpha"}).status_code == 403
    assert fresh(workspaces.alpha).status == Status.TRIAL


def test_right_confirmation_closes_the_workspace_at_once(client_for, workspaces):
    owner = signed_in(client_for, workspaces.alpha)
    other_session = signed_in(client_for, workspaces.alpha)

    response = owner.post("/settings/delete/", {"confirmation": " Alpha "})

    assert response.status_code == 200
    assert "Your workspace is closed" in response.text
    alpha = fresh(workspaces.alpha)
    assert alpha.status == Status.CLOSED
    deletion = WorkspaceDeletion.objects.get(tenant=alpha)
    assert deletion.previous_status == Status.TRIAL
    assert deletion.requested_by_email == "owner@alpha.test"
    assert deletion.purge_after == deletion.requested_at + timedelta(days=7)
    assert TenantEvent.objects.filter(tenant=alpha, action=TenantEvent.Action.CLOSED).exists()
    with in_schema(alpha):
        assert not Session.objects.exists()  # nobody stays signed in
        assert AuditEvent.objects.filter(action="workspace_closed", actor_email="owner@alpha.test").exists()
    closed = other_session.get("/")
    assert closed.status_code == 403
    assert "This workspace is closed" in closed.text
    assert other_session.get("/settings/data/").status_code == 403
    sign_in = client_for(alpha).post("/accounts/login/", {"login": "owner@alpha.test", "password": PASSWORD})
    assert sign_in.status_code == 403


def test_purge_drops_the_schema_only_after_the_grace_period(db, workspaces):
    tenant = tenant_create(
        slug="gone-soon", name="Gone Soon", owner_email="o@gone.test", owner_password=PASSWORD
    )
    with in_schema(tenant):
        owner = User.objects.get(email="o@gone.test")
    requested = timezone.now()
    deletion = workspace_close(tenant=tenant, user=owner, confirmation="gone-soon", now=requested)
    with connection.cursor() as cursor:
        # In production the purge runs days later in its own transaction; here everything shares
        # the test's transaction, whose deferred foreign-key checks would block DROP SCHEMA.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    early = purge_closed_workspaces(requested + timedelta(days=6, hours=23))

    assert early == []
    assert schema_exists("gone_soon")
    assert fresh(tenant).status == Status.CLOSED

    purged = purge_closed_workspaces((requested + timedelta(days=7, minutes=1)).isoformat())

    assert purged == ["gone-soon"]
    assert not schema_exists("gone_soon")
    assert not Tenant.objects.filter(slug="gone-soon").exists()
    deletion.refresh_from_db()
    assert deletion.tenant_id is None  # the record stays
    assert deletion.purged_at == requested + timedelta(days=7, minutes=1)
    assert deletion.tenant_slug == "gone-soon" and deletion.schema_name == "gone_soon"
    assert TenantEvent.objects.filter(tenant_ref=tenant.pk, action=TenantEvent.Action.PURGED).exists()
    assert purge_closed_workspaces(requested + timedelta(days=30)) == []  # safe to run twice
    assert connection.schema_name == "public"


def test_super_admin_undoes_a_deletion_within_the_grace_period(client_for, workspaces):
    with in_schema(workspaces.alpha):
        owner = User.objects.get(email="owner@alpha.test")
        product_create(sku="UNDO-1", name="Survives the undo", sale_price=5)
    requested = timezone.now()
    workspace_close(tenant=fresh(workspaces.alpha), user=owner, confirmation="alpha", now=requested)
    superadmin = user_create(email="root@platform.test", password=PASSWORD, is_superuser=True)
    admin_client = client_for(None)
    admin_client.force_login(superadmin)

    response = admin_client.post(
        "/admin/tenants/tenant/", {"action": "restore", "_selected_action": [workspaces.alpha.pk]}
    )

    assert response.status_code == 302
    alpha = fresh(workspaces.alpha)
    assert alpha.status == Status.TRIAL
    deletion = WorkspaceDeletion.objects.get(tenant=alpha)
    assert deletion.restored_at is not None and deletion.purged_at is None
    assert TenantEvent.objects.get(tenant=alpha, action=TenantEvent.Action.RESTORED).actor_email == (
        "root@platform.test"
    )
    assert purge_closed_workspaces(requested + timedelta(days=8)) == []
    assert schema_exists("alpha")
    home = signed_in(client_for, alpha).get("/products/")
    assert home.status_code == 200
    assert "Survives the undo" in home.text
