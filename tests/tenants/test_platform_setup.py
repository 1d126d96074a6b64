"""`platform_setup` prepares an installation; `/healthz` answers without a database."""

from django.conf import settings
from django.core.management import call_command
from django_tenants.utils import schema_context, schema_exists

from accounts.models import User
from tenants.models import Domain, Tenant


def test_platform_setup_is_idempotent_and_creates_the_super_admin(db, workspaces, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "Root@Example.com")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-root-password-2026")

    call_command("platform_setup")
    call_command("platform_setup")

    assert Tenant.objects.filter(schema_name="public").count() == 1
    assert Domain.objects.filter(domain=settings.BASE_DOMAIN, tenant__schema_name="public").count() == 1
    template = Tenant.objects.get(schema_name=settings.TENANT_BASE_SCHEMA)
    assert template.status == Tenant.Status.TEMPLATE
    assert not template.domains.exists()  # never served
    assert schema_exists(settings.TENANT_BASE_SCHEMA)
    with schema_context("public"):
        root = User.objects.get(email="root@example.com")
        assert root.is_superuser and root.check_password("a-long-root-password-2026")


def test_healthz_answers_on_the_public_site_and_on_workspaces(client_for, workspaces):
    assert client_for(None).get("/healthz").content == b"ok"
    assert client_for(workspaces.alpha).get("/healthz").content == b"ok"
