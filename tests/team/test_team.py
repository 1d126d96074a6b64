"""The team page: roles, deactivation, and the last-owner rule (through the web screens)."""

import itertools

import pytest
from django.conf import settings

from accounts.models import User
from accounts.services import user_create
from audit.models import AuditEvent
from tests.conftest import PASSWORD, in_schema

# --- helpers shared by the team, invitation, role and audit tests -----------------------------

_numbers = itertools.count(1)


def member(tenant, role=User.Role.STAFF, *, email=None, full_name="", is_active=True) -> User:
    """A user of ``tenant`` (created in its schema, rolled back with the test)."""
    email = email or f"{role}-{next(_numbers)}@{tenant.slug}.test"
    with in_schema(tenant):
        user = user_create(email=email, password=PASSWORD, full_name=full_name, role=role)
        if not is_active:
            User.objects.filter(pk=user.pk).update(is_active=False)
            user.refresh_from_db()
    return user


def sign_in(client, email, password=PASSWORD, **extra):
    return client.post("/accounts/login/", {"login": email, "password": password}, **extra)


def signed_in(client_for, tenant, user, *, language="en"):
    """A client of ``tenant``'s host, signed in as ``user``, reading English (the language the
    new strings are written in, whatever the catalogue holds)."""
    client = client_for(tenant)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = sign_in(client, user.email)
    assert response.status_code == 302, response.content[:500]
    return client


def owner_of(tenant) -> User:
    with in_schema(tenant):
        return User.objects.get(email=f"owner@{tenant.slug}.test")


def events(tenant, action):
    with in_schema(tenant):
        return list(AuditEvent.objects.filter(action=action).order_by("id"))


# --- the page -------------------------------------------------------------------------------


def test_team_page_lists_members_with_role_status_and_last_sign_in(client_for, workspaces):
    alpha = workspaces.alpha
    ana = member(alpha, User.Role.ADMIN, email="ana@alpha.test", full_name="Ana Pérez")
    member(alpha, email="gone@alpha.test", is_active=False)
    client = signed_in(client_for, alpha, owner_of(alpha))

    response = client.get("/team/")

    assert response.status_code == 200
    text = response.text
    assert "Ana Pérez" in text and ana.email in text
    assert "gone@alpha.test" in text
    assert 'name="email"' in text  # the invitation form
    assert "Never" in text  # Ana never signed in
    assert text.index("ana@alpha.test") < text.index("gone@alpha.test")  # active first


def test_owner_changes_a_members_role(client_for, workspaces):
    alpha = workspaces.alpha
    ana = member(alpha, email="ana@alpha.test")
    client = signed_in(client_for, alpha, owner_of(alpha))

    response = client.post(f"/team/members/{ana.pk}/role/", {"role": User.Role.ADMIN}, follow=True)

    assert response.status_code == 200
    assert "role is now" in response.text
    with in_schema(alpha):
        assert User.objects.get(pk=ana.pk).role == User.Role.ADMIN


def test_role_change_is_recorded_in_the_audit_log(client_for, workspaces):
    alpha = workspaces.alpha
    owner = owner_of(alpha)
    ana = member(alpha, email="ana@alpha.test")
    client = signed_in(client_for, alpha, owner)

    client.post(f"/team/members/{ana.pk}/role/", {"role": User.Role.ADMIN}, REMOTE_ADDR="198.51.100.7")

    [event] = events(alpha, AuditEvent.Action.ROLE_CHANGED)
    assert event.actor_id == owner.pk
    assert event.actor_email == owner.email
    assert event.target == "ana@alpha.test"
    assert event.data == {"from": "staff", "to": "admin"}
    assert event.ip_address == "198.51.100.7"


def test_invalid_role_is_refused_and_nothing_changes(client_for, workspaces):
    alpha = workspaces.alpha
    ana = member(alpha, email="ana@alpha.test")
    client = signed_in(client_for, alpha, owner_of(alpha))

    response = client.post(f"/team/members/{ana.pk}/role/", {"role": "superuser"}, follow=True)

    assert "Choose one of the roles." in response.text
    with in_schema(alpha):
        assert User.objects.get(pk=ana.pk).role == User.Role.STAFF
    assert events(alpha, AuditEvent.Action.ROLE_CHANGED) == []


def test_last_owner_cannot_be_demoted(client_for, workspaces):
    alpha = workspaces.alpha
    owner = owner_of(alpha)
    client = signed_in(client_for, alpha, owner)

    response = client.post(f"/team/members/{owner.pk}/role/", {"role": User.Role.ADMIN}, follow=True)

    assert "only owner" in response.text
    with in_schema(alpha):
        assert User.objects.get(pk=owner.pk).role == User.Role.OWNER
    assert events(alpha, AuditEvent.Action.ROLE_CHANGED) == []


def test_last_owner_cannot_be_deactivated(client_for, workspaces):
    alpha = workspaces.alpha
    owner = owner_of(alpha)
    client = signed_in(client_for, alpha, owner)

    response = client.post(f"/team/members/{owner.pk}/deactivate/", follow=True)

    assert "only owner" in response.text
    with in_schema(alpha):
        assert User.objects.get(pk=owner.pk).is_active
    assert events(alpha, AuditEvent.Action.USER_DEACTIVATED) == []
    assert client.get("/").status_code == 200  # still signed in


def test_an_owner_can_step_down_when_another_active_owner_remains(client_for, workspaces):
    alpha = workspaces.alpha
    owner = owner_of(alpha)
    member(alpha, User.Role.OWNER, email="co-owner@alpha.test")
    client = signed_in(client_for, alpha, owner)

    client.post(f"/team/members/{owner.pk}/role/", {"role": User.Role.ADMIN})

    with in_schema(alpha):
        assert User.objects.get(pk=owner.pk).role == User.Role.ADMIN


def test_an_inactive_owner_does_not_count_as_another_owner(client_for, workspaces):
    alpha = workspaces.alpha
    owner = owner_of(alpha)
    member(alpha, User.Role.OWNER, email="old-owner@alpha.test", is_active=False)
    client = signed_in(client_for, alpha, owner)

    client.post(f"/team/members/{owner.pk}/role/", {"role": User.Role.STAFF})

    with in_schema(alpha):
        assert User.objects.get(pk=owner.pk).role == User.Role.OWNER


def test_deactivation_asks_for_confirmation_first(client_for, workspaces):
    alpha = workspaces.alpha
    ana = member(alpha, email="ana@alpha.test")
    client = signed_in(client_for, alpha, owner_of(alpha))

    response = client.get(f"/team/members/{ana.pk}/deactivate/")

    assert response.status_code == 200
    assert "ana@alpha.test" in response.text
    with in_schema(alpha):
        assert User.objects.get(pk=ana.pk).is_active


def test_owner_deactivates_a_member_and_it_is_recorded_in_the_audit_log(client_for, workspaces):
    alpha = workspaces.alpha
    owner = owner_of(alpha)
    ana = member(alpha, email="ana@alpha.test")
    client = signed_in(client_for, alpha, owner)

    response = client.post(f"/team/members/{ana.pk}/deactivate/", REMOTE_ADDR="198.51.100.8")

    assert response.status_code == 302
    with in_schema(alpha):
        assert not User.objects.get(pk=ana.pk).is_active
    [event] = events(alpha, AuditEvent.Action.USER_DEACTIVATED)
    assert (event.actor_id, event.target, event.ip_address) == (owner.pk, "ana@alpha.test", "198.51.100.8")


def test_deactivated_user_cannot_sign_in(client_for, workspaces):
    alpha = workspaces.alpha
    ana = member(alpha, email="ana@alpha.test")
    owner_client = signed_in(client_for, alpha, owner_of(alpha))
    owner_client.post(f"/team/members/{ana.pk}/deactivate/")

    client = client_for(alpha)
    response = sign_in(client, "ana@alpha.test")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/inactive/"  # allauth's "account inactive" page
    assert client.get("/").status_code == 302  # not signed in


def test_deactivated_users_open_session_stops_working(client_for, workspaces):
    alpha = workspaces.alpha
    ana = member(alpha, email="ana@alpha.test")
    ana_client = signed_in(client_for, alpha, ana)
    assert ana_client.get("/").status_code == 200

    signed_in(client_for, alpha, owner_of(alpha)).post(f"/team/members/{ana.pk}/deactivate/")

    response = ana_client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_unknown_member_id_is_not_found(client_for, workspaces):
    alpha = workspaces.alpha
    client = signed_in(client_for, alpha, owner_of(alpha))

    assert client.post("/team/members/987654/role/", {"role": "admin"}).status_code == 404
    assert client.get("/team/members/987654/deactivate/").status_code == 404


@pytest.mark.parametrize("role", [User.Role.ADMIN, User.Role.STAFF])
def test_only_the_owner_changes_roles(client_for, workspaces, role):
    alpha = workspaces.alpha
    ana = member(alpha, email="ana@alpha.test")
    client = signed_in(client_for, alpha, member(alpha, role, email="manager@alpha.test"))

    response = client.post(f"/team/members/{ana.pk}/role/", {"role": User.Role.OWNER})

    assert response.status_code == 403
    with in_schema(alpha):
        assert User.objects.get(pk=ana.pk).role == User.Role.STAFF


@pytest.mark.parametrize(
    ("role", "sees_team", "sees_audit"),
    [(User.Role.OWNER, True, True), (User.Role.ADMIN, False, True), (User.Role.STAFF, False, False)],
)
def test_navigation_shows_each_role_only_what_it_may_use(client_for, workspaces, role, sees_team, sees_audit):
    alpha = workspaces.alpha
    user = owner_of(alpha) if role == User.Role.OWNER else member(alpha, role)

    text = signed_in(client_for, alpha, user).get("/").text

    assert ('href="/team/"' in text) is sees_team
    assert ('href="/audit/"' in text) is sees_audit
