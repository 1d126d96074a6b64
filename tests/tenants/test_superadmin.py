"""The platform's Django admin: the workspace list (users, last activity), its actions, and the
platform page's figures for known data."""

import re
import zoneinfo
from collections import Counter
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from accounts.services import user_create
from core.money import format_money
from plans.models import Plan
from tenants.models import Tenant, TenantEvent
from tenants.platform_stats import tenant_user_stats
from tests.conftest import PASSWORD, in_schema

Status = Tenant.Status


@pytest.fixture
def admin_client(client_for):
    """A super-admin signed in on the bare domain (public schema), reading English."""
    superadmin = user_create(email="root@platform.test", password=PASSWORD, is_superuser=True)
    client = client_for(None)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(superadmin)
    return client


def fresh(tenant: Tenant) -> Tenant:
    return Tenant.objects.select_related("plan").get(pk=tenant.pk)


def act(admin_client, action: str, *tenants: Tenant, **extra):
    return admin_client.post(
        "/admin/tenants/tenant/", {"action": action, "_selected_action": [t.pk for t in tenants], **extra}
    )


# --- The workspace list ----------------------------------------------------------------------------


def test_workspace_list_shows_users_and_last_activity_per_workspace(admin_client, workspaces):
    signed_in_at = timezone.now() - timedelta(hours=2)
    with in_schema(workspaces.alpha):
        user_create(email="second@alpha.test", password=PASSWORD)
        User.objects.filter(email="owner@alpha.test").update(last_login=signed_in_at)
    # bulk_create skips TenantMixin.save, so this workspace has a row but no schema.
    Tenant.objects.bulk_create(
        [Tenant(schema_name="no_schema_yet", slug="no-schema-yet", name="No Schema Yet")]
    )

    response = admin_client.get("/admin/tenants/tenant/", {"q": "alpha"})
    everything = admin_client.get("/admin/tenants/tenant/")

    assert response.status_code == 200
    row = re.search(r"<tbody>.*?</tbody>", response.text, re.S).group(0)
    assert "Alpha SRL" in row and "Beta SRL" not in row
    assert '<td class="field-users">2</td>' in row
    assert '<td class="field-last_activity">—</td>' not in row
    assert "Profesional" in row
    assert everything.status_code == 200
    assert "No Schema Yet" in everything.text  # a workspace without a schema shows "—"


def test_user_figures_cost_the_same_queries_for_one_workspace_or_many(db, workspaces):
    many = [workspaces.alpha.schema_name, workspaces.beta.schema_name, workspaces.gamma.schema_name]

    with CaptureQueriesContext(connection) as one_query_set:
        tenant_user_stats([workspaces.alpha.schema_name])
    with CaptureQueriesContext(connection) as many_query_set:
        stats = tenant_user_stats([*many, "does_not_exist"])

    def statements(captured) -> list[str]:
        # django-tenants sets the search_path once per connection and schema (TENANT_LIMIT_SET_CALLS):
        # whichever block comes first may carry it; count the statements themselves.
        return [q["sql"] for q in captured.captured_queries if not q["sql"].startswith("SET search_path")]

    assert len(statements(many_query_set)) == len(statements(one_query_set)) <= 2  # pg_class, one UNION ALL
    assert sum("UNION ALL" in query["sql"] for query in many_query_set.captured_queries) == 1
    assert set(stats) == set(many)
    assert stats["alpha"].active_users >= 1


def test_workspace_list_and_platform_page_are_for_super_admins_only(client_for, workspaces):
    anonymous = client_for(None)
    staff = client_for(None)
    staff.force_login(User.objects.create_user(email="staff@platform.test", password=PASSWORD, is_staff=True))

    assert anonymous.get("/admin/tenants/tenant/").status_code == 302
    assert anonymous.get("/admin/tenants/tenant/platform/").status_code == 302
    assert staff.get("/admin/tenants/tenant/").status_code == 403
    assert staff.get("/admin/tenants/tenant/platform/").status_code == 403
    assert "/admin/tenants/tenant/platform/" not in staff.get("/admin/").text


# --- Actions ---------------------------------------------------------------------------------------


def test_suspend_and_reactivate_actions(admin_client, workspaces):
    suspended = act(admin_client, "suspend", workspaces.alpha, workspaces.beta)

    assert suspended.status_code == 302
    assert fresh(workspaces.alpha).status == Status.SUSPENDED
    assert fresh(workspaces.beta).status == Status.SUSPENDED
    event = TenantEvent.objects.get(tenant=workspaces.alpha, action=TenantEvent.Action.SUSPENDED)
    assert event.actor_email == "root@platform.test"

    act(admin_client, "reactivate", workspaces.alpha)

    assert fresh(workspaces.alpha).status == Status.TRIAL
    assert fresh(workspaces.beta).status == Status.SUSPENDED


def test_refused_action_says_why_and_changes_nothing(admin_client, workspaces):
    response = act(admin_client, "reactivate", workspaces.alpha)  # in trial: nothing to reactivate

    assert fresh(workspaces.alpha).status == Status.TRIAL
    assert not TenantEvent.objects.filter(tenant=workspaces.alpha).exists()
    assert "this change is not possible" in admin_client.get(response["Location"]).text


def test_extend_trial_action_adds_14_days(admin_client, workspaces):
    ends = timezone.now() + timedelta(days=3)
    Tenant.objects.filter(pk=workspaces.alpha.pk).update(trial_ends_at=ends)

    act(admin_client, "extend_trial", workspaces.alpha)

    assert fresh(workspaces.alpha).trial_ends_at == ends + timedelta(days=14)
    assert TenantEvent.objects.get(tenant=workspaces.alpha).data["days"] == 14


def test_change_plan_action_asks_for_the_plan_then_changes_it(admin_client, workspaces):
    basico = Plan.objects.get(code="basico")

    page = act(admin_client, "change_plan", workspaces.alpha, workspaces.beta)

    assert page.status_code == 200
    assert "Alpha SRL" in page.text and "Beta SRL" in page.text
    assert f'<option value="{basico.pk}">' in page.text
    assert fresh(workspaces.alpha).plan.code == "profesional"  # nothing changed yet

    done = act(admin_client, "change_plan", workspaces.alpha, workspaces.beta, apply="1", plan=basico.pk)

    assert done.status_code == 302
    assert fresh(workspaces.alpha).plan == basico
    assert fresh(workspaces.beta).plan == basico
    assert TenantEvent.objects.filter(action=TenantEvent.Action.PLAN_CHANGED).count() == 2


def test_tenants_cannot_be_deleted_from_the_admin(admin_client, workspaces):
    response = admin_client.get(f"/admin/tenants/tenant/{workspaces.alpha.pk}/delete/")

    assert response.status_code == 403


# --- The platform page ---------------------------------------------------------------------------


def _known_platform(now):
    """Known workspaces (rows only: the figures never look inside a schema) and their history."""
    # The session's workspaces are set aside (a template is never counted), and the history with them.
    Tenant.objects.exclude(schema_name="public").update(status=Status.TEMPLATE)
    TenantEvent.objects.all().delete()
    plans = {plan.code: plan for plan in Plan.objects.all()}
    rows = {
        # slug: status, plan, currency, created days ago
        "a1": (Status.ACTIVE, "profesional", "ARS", 60),
        "a2": (Status.ACTIVE, "profesional", "ARS", 40),
        "a3": (Status.ACTIVE, "basico", "COP", 20),
        "a4": (Status.ACTIVE, "enterprise", "USD", 3),
        "t1": (Status.TRIAL, "profesional", "ARS", 2),
        "t2": (Status.TRIAL, "profesional", "ARS", 10),
        "x1": (Status.TRIAL_EXPIRED, "profesional", "ARS", 25),
        "s1": (Status.SUSPENDED, "basico", "ARS", 90),
        "c1": (Status.CLOSED, "basico", "ARS", 100),
    }
    # bulk_create: no schema is created (TenantMixin.save would create one).
    Tenant.objects.bulk_create(
        Tenant(
            schema_name=f"known_{slug}",
            slug=f"known-{slug}",
            name=f"Known {slug}",
            status=status,
            plan=plans[plan],
            currency=currency,
        )
        for slug, (status, plan, currency, _) in rows.items()
    )
    created = {}
    for slug, (*_, days_ago) in rows.items():
        created[slug] = now - timedelta(days=days_ago)
        Tenant.objects.filter(slug=f"known-{slug}").update(created_at=created[slug])
    tenants = {slug: Tenant.objects.get(slug=f"known-{slug}") for slug in rows}

    def event(tenant_ref, slug, action, frm, to, days_ago):
        TenantEvent.objects.create(
            tenant_id=tenants[slug].pk if slug in tenants else None,
            tenant_ref=tenant_ref,
            tenant_slug=slug,
            action=action,
            data={"from": frm, "to": to},
            created_at=now - timedelta(days=days_ago),
        )

    event(tenants["s1"].pk, "s1", TenantEvent.Action.SUSPENDED, Status.ACTIVE, Status.SUSPENDED, 5)
    event(tenants["c1"].pk, "c1", TenantEvent.Action.CLOSED, Status.ACTIVE, Status.CLOSED, 10)
    # A workspace purged since: active 30 days ago, closed 20 days ago, its row gone.
    gone = max(t.pk for t in tenants.values()) + 1000
    event(gone, "p1", TenantEvent.Action.CLOSED, Status.ACTIVE, Status.CLOSED, 20)
    # Changes long before the window do not count.
    event(tenants["a1"].pk, "a1", TenantEvent.Action.REACTIVATED, Status.TRIAL_EXPIRED, Status.ACTIVE, 45)
    return created


def test_platform_page_shows_the_figures_for_known_data(admin_client, workspaces):
    now = timezone.now()
    created = _known_platform(now)

    response = admin_client.get("/admin/tenants/tenant/platform/")
    index = admin_client.get("/admin/")

    assert response.status_code == 200
    html = response.text
    assert re.search(r'data-figure="active">.*?<p class="figure">4</p>', html, re.S)
    assert re.search(r'data-figure="in-trial">.*?<p class="figure">2</p>', html, re.S)
    # created more than 14 days ago: a1 a2 a3 x1 s1 c1; active now: a1 a2 a3
    assert "3 of 6 workspaces created more than 14 days ago are active" in html
    assert re.search(r'data-figure="conversion">.*?50\.0 %', html, re.S)
    # active 30 days ago: a1 a2 s1 c1 and the purged one; suspended or closed since: s1 c1 p1
    assert "3 suspended or closed of 5 active 30 days ago" in html
    assert re.search(r'data-figure="churn">.*?60\.0 %', html, re.S)
    assert format_money(Decimal("178000"), "ARS", "en") in html  # 2 × Profesional in ARS
    assert format_money(Decimal("150000"), "COP", "en") in html  # 1 × Básico in COP
    assert format_money(Decimal("189"), "USD", "en") in html  # 1 × Enterprise in USD
    assert (
        'data-mrr-total="ARS"' in html and 'data-mrr-total="COP"' in html and 'data-mrr-total="USD"' in html
    )
    chart = re.search(r'<div class="module platform-chart" id="signups">.*?</div>', html, re.S).group(0)
    assert "<svg" in chart and "<script" not in chart and "http" not in chart.replace("http://www.w3.org", "")
    # Signups per week, in the time zone the admin is served in (the platform row's).
    zone = zoneinfo.ZoneInfo(Tenant.objects.get(schema_name="public").time_zone)
    today = timezone.localtime(now, zone).date()
    first_monday = today - timedelta(days=today.weekday(), weeks=11)
    expected = Counter()
    for when in created.values():
        day = timezone.localtime(when, zone).date()
        monday = day - timedelta(days=day.weekday())
        if monday >= first_monday:
            expected[monday] += 1
    weeks = dict(re.findall(r'data-week="([\d-]+)" data-count="(\d+)"', html))
    assert len(weeks) == 12
    assert {week: int(count) for week, count in weeks.items() if int(count)} == {
        monday.isoformat(): count for monday, count in expected.items()
    }
    assert "/admin/tenants/tenant/platform/" in index.text
    assert connection.schema_name == "public"
