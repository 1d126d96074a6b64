"""Manual billing mode (no Stripe keys, `make run`): the owner requests a plan with one click, the
request is recorded and shown, and the super-admin applies it from the admin."""

import pytest
from django.conf import settings

from accounts.services import user_create
from billing.models import PlanRequest
from inventory.models import Location
from plans.models import Plan
from tenants.models import Tenant, TenantEvent
from tests.billing.test_pages import owner_client
from tests.billing.test_webhooks import fresh
from tests.conftest import PASSWORD, in_schema

Status = Tenant.Status


@pytest.fixture
def admin_client(client_for):
    superadmin = user_create(email="root@platform.test", password=PASSWORD, is_superuser=True)
    client = client_for(None)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(superadmin)
    return client


def test_requesting_a_plan_is_one_click_recorded_and_shown(manual_mode, db, client_for, workspaces):
    alpha = workspaces.alpha
    client = owner_client(client_for, alpha)

    response = client.post("/billing/request/", {"plan": "enterprise", "interval": "month"}, follow=True)

    assert response.status_code == 200
    (request,) = PlanRequest.objects.filter(tenant=alpha)
    assert (request.plan.code, request.status, request.requested_by) == (
        "enterprise",
        PlanRequest.Status.PENDING,
        alpha.email,
    )
    assert 'data-testid="billing-plan-requested"' in response.text
    assert "mailto:" not in response.text
    assert fresh(alpha).plan_id == alpha.plan_id  # nothing changes until the platform applies it


def test_a_newer_request_replaces_the_pending_one(manual_mode, db, client_for, workspaces):
    client = owner_client(client_for, workspaces.alpha)

    client.post("/billing/request/", {"plan": "enterprise", "interval": "month"})
    client.post("/billing/request/", {"plan": "basico", "interval": "month"})

    pending = PlanRequest.objects.get(tenant=workspaces.alpha, status=PlanRequest.Status.PENDING)
    assert pending.plan.code == "basico"
    assert (
        PlanRequest.objects.filter(tenant=workspaces.alpha, status=PlanRequest.Status.WITHDRAWN).count() == 1
    )


def test_a_request_the_workspace_exceeds_is_refused(manual_mode, db, client_for, workspaces):
    alpha = workspaces.alpha
    with in_schema(alpha):
        for name in ("Depósito", "Sucursal Norte", "Sucursal Sur"):
            Location.objects.create(name=name)

    response = owner_client(client_for, alpha).post(
        "/billing/request/", {"plan": "basico", "interval": "month"}
    )

    assert response.status_code == 400
    assert "Reduce these first" in response.text
    assert not PlanRequest.objects.filter(tenant=alpha).exists()


def test_requests_are_refused_when_stripe_is_configured(stripe_http, db, client_for, workspaces):
    response = owner_client(client_for, workspaces.alpha).post(
        "/billing/request/", {"plan": "enterprise", "interval": "month"}, follow=True
    )

    assert response.status_code == 200
    assert not PlanRequest.objects.exists()


def test_the_super_admin_sees_and_applies_a_request_once(
    manual_mode, db, client_for, workspaces, admin_client
):
    alpha, beta = workspaces.alpha, workspaces.beta
    Tenant.objects.filter(pk=alpha.pk).update(status=Status.TRIAL_EXPIRED)
    owner_client(client_for, alpha).post("/billing/request/", {"plan": "enterprise", "interval": "month"})
    request = PlanRequest.objects.get(tenant=alpha)

    listing = admin_client.get("/admin/billing/planrequest/")
    assert listing.status_code == 200
    assert alpha.name in listing.text

    for _ in range(2):  # applied twice: the second changes nothing
        applied = admin_client.post(
            "/admin/billing/planrequest/", {"action": "apply_requests", "_selected_action": [request.pk]}
        )
        assert applied.status_code == 302

    request.refresh_from_db()
    assert (request.status, request.applied_by) == (PlanRequest.Status.APPLIED, "root@platform.test")
    tenant = fresh(alpha)
    assert tenant.plan.code == "enterprise"
    assert tenant.status == Status.ACTIVE
    assert TenantEvent.objects.filter(tenant=alpha, action=TenantEvent.Action.PLAN_CHANGED).count() == 1
    assert fresh(beta).plan_id == beta.plan_id
    assert Plan.objects.get(code="enterprise") == tenant.plan
