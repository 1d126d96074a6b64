"""The audit log: sign-ins recorded with their address (never a password), and the /audit/
screen with its filters and pages."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings

from accounts.models import User
from audit.models import AuditEvent
from audit.services import audit_record
from tests.conftest import PASSWORD, in_schema
from tests.team.test_team import events, member, owner_of, sign_in, signed_in

WRONG_PASSWORD = "hunter2-Secret-Guess"


def rows(response) -> int:
    return response.text.count('data-testid="audit-event"')


# --- what gets recorded ----------------------------------------------------------------------


def test_sign_in_is_recorded_with_the_ip_address(client_for, workspaces):
    response = sign_in(client_for(workspaces.alpha), "owner@alpha.test", REMOTE_ADDR="203.0.113.5")

    assert response.status_code == 302
    [event] = events(workspaces.alpha, AuditEvent.Action.SIGN_IN)
    assert event.actor_id == owner_of(workspaces.alpha).pk
    assert event.actor_email == "owner@alpha.test"
    assert event.ip_address == "203.0.113.5"


def test_failed_sign_in_records_the_attempted_email_and_ip_but_never_the_password(client_for, workspaces):
    response = sign_in(
        client_for(workspaces.alpha), "Owner@Alpha.test", password=WRONG_PASSWORD, REMOTE_ADDR="203.0.113.6"
    )

    assert response.status_code == 200  # the form again
    [event] = events(workspaces.alpha, AuditEvent.Action.SIGN_IN_FAILED)
    assert event.actor is None  # whoever typed it is not known to be the account's owner
    assert event.actor_email == "owner@alpha.test"
    assert event.ip_address == "203.0.113.6"
    assert event.data == {}
    with in_schema(workspaces.alpha):
        stored = AuditEvent.objects.filter(pk=event.pk).values().get()
    assert not any(WRONG_PASSWORD.lower() in str(value).lower() for value in stored.values())
    assert not any("*****" in str(value) for value in stored.values())  # not even a masked one
    assert events(workspaces.alpha, AuditEvent.Action.SIGN_IN) == []


def test_failed_sign_in_with_an_unknown_email_is_recorded(client_for, workspaces):
    sign_in(client_for(workspaces.alpha), "nobody@example.com", password=WRONG_PASSWORD)

    [event] = events(workspaces.alpha, AuditEvent.Action.SIGN_IN_FAILED)
    assert event.actor_email == "nobody@example.com"


def test_lockout_is_recorded(client_for, workspaces):
    client = client_for(workspaces.alpha)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "owner@alpha.test", password=WRONG_PASSWORD, REMOTE_ADDR="203.0.113.7")

    lockouts = events(workspaces.alpha, AuditEvent.Action.LOCKOUT)

    assert len(lockouts) == 1
    assert lockouts[0].actor_email == "owner@alpha.test"
    assert lockouts[0].ip_address == "203.0.113.7"
    assert len(events(workspaces.alpha, AuditEvent.Action.SIGN_IN_FAILED)) == settings.AXES_FAILURE_LIMIT


def test_sign_in_events_stay_in_their_workspace(client_for, workspaces):
    sign_in(client_for(workspaces.beta), "owner@beta.test")

    assert events(workspaces.alpha, AuditEvent.Action.SIGN_IN) == []
    assert len(events(workspaces.beta, AuditEvent.Action.SIGN_IN)) == 1


def test_failed_sign_in_on_the_public_site_is_not_recorded_and_does_not_fail(client_for, workspaces):
    # The public schema has no audit log (super-admins sign in there, to the Django admin).
    response = client_for(None).post("/admin/login/", {"username": "x@example.com", "password": "nope"})

    assert response.status_code == 200


# --- the screen ------------------------------------------------------------------------------


def test_audit_log_lists_events_newest_first_with_who_what_and_where(client_for, workspaces):
    alpha = workspaces.alpha
    with in_schema(alpha):
        audit_record(action=AuditEvent.Action.DATA_EXPORTED, actor_email="someone@alpha.test", target="first")
        audit_record(
            action=AuditEvent.Action.ROLE_CHANGED,
            actor_email="someone@alpha.test",
            target="second",
            data={"from": "staff", "to": "admin"},
        )
    client = signed_in(client_for, alpha, owner_of(alpha))

    response = client.get("/audit/", {"action": AuditEvent.Action.ROLE_CHANGED})
    everything = client.get("/audit/")

    assert response.status_code == 200
    assert "second" in response.text and "Staff → Admin" in response.text
    assert "first" not in response.text
    assert everything.text.index("second") < everything.text.index("first")


def test_audit_log_filters_by_user_including_failed_sign_ins_on_their_account(client_for, workspaces):
    alpha = workspaces.alpha
    ana = member(alpha, email="ana@alpha.test")
    sign_in(client_for(alpha), "ana@alpha.test", password=WRONG_PASSWORD)
    with in_schema(alpha):
        audit_record(action=AuditEvent.Action.DATA_EXPORTED, actor=ana, target="ana's export")
        audit_record(action=AuditEvent.Action.DATA_EXPORTED, actor_email="other@alpha.test", target="not ana")
    client = signed_in(client_for, alpha, owner_of(alpha))

    response = client.get("/audit/", {"user": ana.pk})

    assert rows(response) == 2
    assert "ana&#x27;s export" in response.text
    assert 'data-action="sign_in_failed"' in response.text
    assert "not ana" not in response.text


def test_audit_log_filters_by_date_range_in_the_workspace_time_zone(client_for, workspaces):
    alpha = workspaces.alpha
    local = ZoneInfo(alpha.time_zone)  # Buenos Aires, UTC-3
    moments = {
        "before": datetime(2026, 3, 9, 23, 59, tzinfo=local),
        "first-day": datetime(2026, 3, 10, 0, 0, tzinfo=local),
        "last-day-late": datetime(2026, 3, 12, 23, 30, tzinfo=local),  # already the 13th in UTC
        "after": datetime(2026, 3, 13, 0, 0, tzinfo=local),
    }
    with in_schema(alpha):
        for target, moment in moments.items():
            event = audit_record(action=AuditEvent.Action.DATA_EXPORTED, target=target)
            AuditEvent.objects.filter(pk=event.pk).update(created_at=moment)
    client = signed_in(client_for, alpha, owner_of(alpha))

    response = client.get("/audit/", {"date_from": "2026-03-10", "date_to": "2026-03-12"})

    assert rows(response) == 2
    assert "first-day" in response.text and "last-day-late" in response.text
    assert "before" not in response.text and ">after<" not in response.text


def test_audit_log_reports_an_end_date_before_the_start(client_for, workspaces):
    alpha = workspaces.alpha
    client = signed_in(client_for, alpha, owner_of(alpha))

    response = client.get("/audit/", {"date_from": "2026-03-12", "date_to": "2026-03-10"})

    assert response.status_code == 200
    assert "The end date is before the start date." in response.text


def test_audit_log_pages_fifty_events_and_keeps_the_filters(client_for, workspaces):
    alpha = workspaces.alpha
    with in_schema(alpha):
        AuditEvent.objects.bulk_create(
            AuditEvent(action=AuditEvent.Action.DATA_EXPORTED, target=f"export {n}") for n in range(60)
        )
    client = signed_in(client_for, alpha, owner_of(alpha))

    first = client.get("/audit/", {"action": "data_exported"})
    second = client.get("/audit/", {"action": "data_exported", "page": 2})

    assert rows(first) == 50
    assert "?action=data_exported&amp;page=2" in first.text
    assert rows(second) == 10


def test_admin_reads_the_audit_log_and_staff_is_refused(client_for, workspaces):
    alpha = workspaces.alpha
    admin = signed_in(client_for, alpha, member(alpha, User.Role.ADMIN, email="admin@alpha.test"))
    staff = signed_in(client_for, alpha, member(alpha, User.Role.STAFF, email="staff@alpha.test"))

    assert admin.get("/audit/").status_code == 200
    assert staff.get("/audit/").status_code == 403


def test_audit_log_shows_only_this_workspaces_events(client_for, workspaces):
    with in_schema(workspaces.beta):
        audit_record(action=AuditEvent.Action.DATA_EXPORTED, target="beta's secret export")
    client = signed_in(client_for, workspaces.alpha, owner_of(workspaces.alpha))

    response = client.get("/audit/")

    assert "beta&#x27;s secret export" not in response.text
    assert PASSWORD not in response.text
