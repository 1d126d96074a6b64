"""The life of an account: trial expiry (read-only with a banner), suspension, reactivation,
trial extension and plan change, through the task, the services and the workspace's pages."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.models import User
from core.money import format_money
from inventory.services import product_create
from plans.models import Plan
from tenants.lifecycle import (
    StatusChangeRefused,
    tenant_change_plan,
    tenant_extend_trial,
    tenant_reactivate,
    tenant_suspend,
)
from tenants.models import Tenant, TenantEvent
from tenants.tasks import expire_trials
from tests.conftest import in_schema

Status = Tenant.Status


def fresh(tenant: Tenant) -> Tenant:
    return Tenant.objects.select_related("plan").get(pk=tenant.pk)


def set_state(tenant: Tenant, **fields) -> Tenant:
    Tenant.objects.filter(pk=tenant.pk).update(**fields)
    return fresh(tenant)


def signed_in(client_for, tenant: Tenant, email: str | None = None):
    """A client on ``tenant``'s subdomain, in English, signed in as its owner (or ``email``)."""
    client = client_for(tenant)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with in_schema(tenant):
        client.force_login(User.objects.get(email=email or f"owner@{tenant.slug}.test"))
    return client


# --- Trial expiry --------------------------------------------------------------------------------


def test_expiry_task_moves_only_ended_trials_and_is_idempotent(db, workspaces):
    now = timezone.now()
    ended = set_state(workspaces.alpha, status=Status.TRIAL, trial_ends_at=now - timedelta(hours=1))
    running = set_state(workspaces.beta, status=Status.TRIAL, trial_ends_at=now + timedelta(days=3))
    suspended = set_state(workspaces.suspended, trial_ends_at=now - timedelta(days=3))
    active = set_state(workspaces.gamma, status=Status.ACTIVE, trial_ends_at=now - timedelta(days=3))

    moved = expire_trials(now.isoformat())

    assert "alpha" in moved
    assert {"beta", "dormant", "gamma"}.isdisjoint(moved)
    assert fresh(ended).status == Status.TRIAL_EXPIRED
    assert fresh(running).status == Status.TRIAL
    assert fresh(suspended).status == Status.SUSPENDED
    assert fresh(active).status == Status.ACTIVE
    event = TenantEvent.objects.get(tenant=ended)
    assert event.action == TenantEvent.Action.TRIAL_EXPIRED
    assert event.data["from"] == Status.TRIAL and event.data["to"] == Status.TRIAL_EXPIRED
    assert event.actor_email == ""

    assert expire_trials(now.isoformat()) == []  # a second run changes nothing
    assert TenantEvent.objects.filter(tenant=ended).count() == 1
    assert fresh(ended).status == Status.TRIAL_EXPIRED


def test_expired_workspace_is_read_only_with_a_banner(client_for, workspaces):
    with in_schema(workspaces.alpha):
        product_create(sku="RO-1", name="Kept after expiry", sale_price=10)
    set_state(workspaces.alpha, status=Status.TRIAL, trial_ends_at=timezone.now() - timedelta(days=1))
    expire_trials()
    client = signed_in(client_for, workspaces.alpha)

    page = client.get("/products/")
    refused = client.post("/", {"anything": "1"})
    api_refused = client.post("/api/products/", {"sku": "X"})

    assert page.status_code == 200
    assert "Kept after expiry" in page.text  # nothing deleted
    assert "data-lifecycle-banner" in page.text
    assert 'href="/settings/plan/"' in page.text
    assert page.text.count("data-lifecycle-banner") == 1
    assert refused.status_code == 403
    assert "This workspace is read-only" in refused.text
    assert api_refused.status_code == 403
    assert api_refused.json() == {
        "detail": "This workspace is read-only until a plan is chosen.",
        "code": "workspace_read_only",
    }


def test_expired_workspace_still_allows_sign_in_sign_out_language_and_settings(client_for, workspaces):
    set_state(workspaces.alpha, status=Status.TRIAL_EXPIRED)
    anonymous = client_for(workspaces.alpha)

    sign_in = anonymous.post(
        "/accounts/login/", {"login": "owner@alpha.test", "password": "correct-horse-battery-staple"}
    )
    language = anonymous.post("/i18n/setlang/", {"language": "en", "next": "/"})
    settings_page = anonymous.post("/settings/delete/", {"confirmation": "wrong"})
    sign_out = anonymous.post("/accounts/logout/")

    assert sign_in.status_code == 302
    assert language.status_code == 302
    assert settings_page.status_code == 400  # reached the page (and its own validation)
    assert sign_out.status_code == 302
    assert anonymous.get("/").status_code == 302  # signed out


def test_plan_page_lists_plans_with_prices_in_the_workspace_currency(client_for, workspaces):
    set_state(workspaces.alpha, status=Status.TRIAL_EXPIRED, currency="ARS")
    client = signed_in(client_for, workspaces.alpha)

    response = client.get("/settings/plan/")

    assert response.status_code == 200
    for plan in Plan.objects.filter(is_public=True):
        assert plan.name in response.text
    assert format_money(89000, "ARS", "en", workspaces.alpha.country) in response.text
    assert "Free" in response.text
    assert "Choose a plan to keep working" in response.text


def test_plan_page_needs_sign_in(client_for, workspaces):
    response = client_for(workspaces.alpha).get("/settings/plan/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- Suspension and reactivation --------------------------------------------------------------


def test_suspended_workspace_shows_the_suspended_page_then_reactivation_restores_it(client_for, workspaces):
    with in_schema(workspaces.alpha):
        product_create(sku="SUS-1", name="Still here after suspension", sale_price=10)
    alpha = set_state(workspaces.alpha, status=Status.TRIAL, trial_ends_at=timezone.now() + timedelta(days=5))
    client = signed_in(client_for, alpha)

    tenant_suspend(tenant=alpha, actor_email="admin@example.com", reason="unpaid")
    page = client.get("/")
    sign_in_page = client.get("/accounts/login/")
    api = client.get("/api/products/")

    assert page.status_code == 403
    assert "This workspace is suspended" in page.text
    assert "mailto:" in page.text
    assert "Still here after suspension" not in page.text
    assert sign_in_page.status_code == 403
    assert api.status_code == 403
    assert api.json()["code"] == "workspace_suspended"

    tenant_reactivate(tenant=alpha, actor_email="admin@example.com")
    back = client.get("/products/")

    assert fresh(alpha).status == Status.TRIAL  # suspended during a running trial: back to the trial
    assert back.status_code == 200  # the same session works again
    assert "Still here after suspension" in back.text
    actions = list(
        TenantEvent.objects.filter(tenant=alpha).order_by("created_at").values_list("action", "data")
    )
    assert actions == [
        (TenantEvent.Action.SUSPENDED, {"from": "trial", "to": "suspended", "reason": "unpaid"}),
        (TenantEvent.Action.REACTIVATED, {"from": "suspended", "to": "trial"}),
    ]


def test_session_fixture_suspended_workspace_is_refused(client_for, workspaces):
    client = client_for(workspaces.suspended)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.post("/accounts/login/", {"login": "owner@dormant.test", "password": "x"})

    assert response.status_code == 403
    assert "This workspace is suspended" in response.text


def test_reactivating_an_expired_trial_makes_the_workspace_active(db, workspaces):
    alpha = set_state(workspaces.alpha, status=Status.TRIAL_EXPIRED)

    tenant_reactivate(tenant=alpha, actor_email="admin@example.com")

    assert fresh(alpha).status == Status.ACTIVE


def test_reactivating_an_active_workspace_is_refused_and_changes_nothing(db, workspaces):
    alpha = set_state(workspaces.alpha, status=Status.ACTIVE)

    with pytest.raises(StatusChangeRefused):
        tenant_reactivate(tenant=alpha)

    assert fresh(alpha).status == Status.ACTIVE
    assert not TenantEvent.objects.filter(tenant=alpha).exists()


def test_template_workspace_is_never_served(client_for, workspaces):
    set_state(workspaces.alpha, status=Status.TEMPLATE)

    assert client_for(workspaces.alpha).get("/accounts/login/").status_code == 404


# --- Trial extension and plan change ---------------------------------------------------------


def test_extending_an_expired_trial_counts_from_now_and_reopens_it(client_for, workspaces):
    now = timezone.now()
    alpha = set_state(workspaces.alpha, status=Status.TRIAL_EXPIRED, trial_ends_at=now - timedelta(days=10))

    tenant_extend_trial(tenant=alpha, days=14, actor_email="admin@example.com", now=now)

    alpha = fresh(alpha)
    assert alpha.status == Status.TRIAL
    assert alpha.trial_ends_at == now + timedelta(days=14)
    assert signed_in(client_for, alpha).post("/").status_code != 403  # writable again


def test_extending_a_running_trial_counts_from_its_end(db, workspaces):
    now = timezone.now()
    ends = now + timedelta(days=3)
    alpha = set_state(workspaces.alpha, status=Status.TRIAL, trial_ends_at=ends)

    tenant_extend_trial(tenant=alpha, days=14, now=now)

    assert fresh(alpha).trial_ends_at == ends + timedelta(days=14)


def test_changing_the_plan_is_recorded(db, workspaces):
    alpha = fresh(workspaces.alpha)
    before = alpha.plan.code
    enterprise = Plan.objects.get(code="enterprise")

    tenant_change_plan(tenant=alpha, plan=enterprise, actor_email="admin@example.com")

    assert fresh(alpha).plan == enterprise
    event = TenantEvent.objects.get(tenant=alpha, action=TenantEvent.Action.PLAN_CHANGED)
    assert event.data == {"from": before, "to": "enterprise"}
    assert event.actor_email == "admin@example.com"


def test_a_workspace_suspended_for_non_payment_can_still_reach_billing(client_for, workspaces):
    tenant_suspend(tenant=workspaces.beta, reason="payment_overdue")
    client = client_for(workspaces.beta)
    with in_schema(workspaces.beta):  # the session is stored in the workspace's schema
        client.force_login(User.objects.get(email="owner@beta.test"))

    home = client.get("/")
    billing = client.get("/billing/")

    assert home.status_code == 403
    assert 'data-testid="pay-to-reactivate"' in home.text
    assert billing.status_code == 200


def test_a_workspace_suspended_by_the_platform_cannot_reach_billing(client_for, workspaces):
    tenant_suspend(tenant=workspaces.beta, reason="abuse")
    client = client_for(workspaces.beta)
    with in_schema(workspaces.beta):
        client.force_login(User.objects.get(email="owner@beta.test"))

    assert client.get("/billing/").status_code == 403
    assert 'data-testid="pay-to-reactivate"' not in client.get("/").text
