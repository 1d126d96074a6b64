"""Invitations: the owner invites by email, the invitee joins with a password, signed in.

Links are single use, expire in 7 days, can be revoked, and work only on their own workspace.
"""

import hashlib
import re
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import Invitation, User
from audit.models import AuditEvent
from config.celery import app as celery_app
from plans.models import Plan
from team import invitations, tasks
from team.invitations import invitation_create
from tenants.models import Tenant
from tests.conftest import in_schema
from tests.team.test_team import events, member, owner_of, signed_in

NEW_PASSWORD = "violet-harbour-lantern-42"
LINK = re.compile(r"http://alpha\.localhost(/team/join/[A-Za-z0-9_\-]+/)")


@pytest.fixture
def emails_now(monkeypatch, django_capture_on_commit_callbacks):
    """Run the invitation email task in this process when a service sends it after commit
    (no worker here): ``with emails_now(): ...`` then read mail.outbox."""

    class RunNow:
        """Runs the task the service names, from Celery's registry, here and now."""

        @staticmethod
        def send_task(name, args=(), kwargs=None):
            return celery_app.tasks[name](*args, **(kwargs or {}))

    monkeypatch.setattr(invitations, "current_app", RunNow)
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def owner_client(client_for, workspaces):
    return signed_in(client_for, workspaces.alpha, owner_of(workspaces.alpha))


def invite(client, emails_now, email="nina@example.com", role=User.Role.STAFF):
    with emails_now():
        return client.post("/team/invitations/", {"email": email, "role": role})


def link_path(message) -> str:
    match = LINK.search(message.body)
    assert match, message.body
    return match.group(1)


def accept(client, path, *, full_name="Nina Ríos", password=NEW_PASSWORD):
    return client.post(path, {"full_name": full_name, "password1": password, "password2": password})


def invitation_of(tenant, email="nina@example.com") -> Invitation:
    with in_schema(tenant):
        return Invitation.objects.get(email=email)


def users_named(tenant, email="nina@example.com") -> int:
    with in_schema(tenant):
        return User.objects.filter(email=email).count()


# --- inviting and joining ---------------------------------------------------------------------


def test_owner_invites_and_the_invitee_joins_signed_in_with_the_role(
    owner_client, client_for, workspaces, emails_now
):
    alpha = workspaces.alpha

    response = invite(owner_client, emails_now, role=User.Role.ADMIN)

    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["nina@example.com"]
    assert message.reply_to == ["owner@alpha.test"]
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    path = link_path(message)
    assert f'href="http://alpha.localhost{path}"' in html

    invitee = client_for(alpha)
    page = invitee.get(path)
    assert page.status_code == 200
    assert "nina@example.com" in page.text and 'name="password1"' in page.text

    response = accept(invitee, path)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert invitee.get("/").status_code == 200  # signed in
    with in_schema(alpha):
        nina = User.objects.get(email="nina@example.com")
        assert nina.role == User.Role.ADMIN
        assert nina.full_name == "Nina Ríos"
        assert nina.check_password(NEW_PASSWORD)
    invitation = invitation_of(alpha)
    assert invitation.status == Invitation.Status.ACCEPTED
    assert invitation.accepted_by_id == nina.pk
    [sent] = events(alpha, AuditEvent.Action.INVITATION_SENT)
    assert (sent.actor_email, sent.target, sent.data) == (
        "owner@alpha.test",
        "nina@example.com",
        {"role": "admin"},
    )
    [accepted] = events(alpha, AuditEvent.Action.INVITATION_ACCEPTED)
    assert (accepted.actor_id, accepted.target) == (nina.pk, "nina@example.com")


def test_invitation_token_is_random_and_stored_only_as_its_hash(owner_client, workspaces, emails_now):
    invite(owner_client, emails_now)
    invite(owner_client, emails_now, email="other@example.com")

    raw = link_path(mail.outbox[0]).split("/")[-2]
    other_raw = link_path(mail.outbox[1]).split("/")[-2]
    invitation = invitation_of(workspaces.alpha)

    assert len(raw) >= 40 and raw != other_raw
    assert invitation.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    with in_schema(workspaces.alpha):
        stored = list(Invitation.objects.values_list("token_hash", "email"))
    assert all(raw not in value for row in stored for value in row)


def test_invitation_expires_after_seven_days(owner_client, workspaces, emails_now):
    before = timezone.now()
    invite(owner_client, emails_now)

    expires_at = invitation_of(workspaces.alpha).expires_at

    assert before + timedelta(days=7) <= expires_at <= timezone.now() + timedelta(days=7)


def test_invitation_email_is_in_the_workspace_language(owner_client, workspaces, emails_now):
    invite(owner_client, emails_now, role=User.Role.ADMIN)  # alpha speaks Spanish
    Tenant.objects.filter(pk=workspaces.alpha.pk).update(language="en")
    invite(owner_client, emails_now, email="other@example.com", role=User.Role.ADMIN)

    spanish, english = mail.outbox
    assert "Administrador/a" in spanish.body and " de " in spanish.body  # "28 de noviembre de 2026"
    assert "Administrador/a" not in english.body and " as Admin." in english.body


def test_weak_password_is_refused_and_the_invitation_stays_open(
    owner_client, client_for, workspaces, emails_now
):
    invite(owner_client, emails_now)
    path = link_path(mail.outbox[0])

    response = accept(client_for(workspaces.alpha), path, password="123")

    assert response.status_code == 400
    assert users_named(workspaces.alpha) == 0
    assert invitation_of(workspaces.alpha).status == Invitation.Status.PENDING


def test_inviting_a_current_member_is_refused(owner_client, workspaces, emails_now):
    member(workspaces.alpha, email="ana@alpha.test")

    response = invite(owner_client, emails_now, email="Ana@Alpha.test")

    assert response.status_code == 400
    assert "already a member" in response.text
    assert mail.outbox == []
    with in_schema(workspaces.alpha):
        assert not Invitation.objects.exists()


def test_inviting_the_same_address_twice_is_refused_while_pending(owner_client, workspaces, emails_now):
    invite(owner_client, emails_now)

    response = invite(owner_client, emails_now, email="NINA@example.com")

    assert response.status_code == 400
    assert "already been invited" in response.text
    assert len(mail.outbox) == 1
    with in_schema(workspaces.alpha):
        assert Invitation.objects.count() == 1


def test_inviting_again_after_expiry_renews_the_invitation(owner_client, workspaces, emails_now):
    invite(owner_client, emails_now)
    with in_schema(workspaces.alpha):
        Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))

    response = invite(owner_client, emails_now, role=User.Role.ADMIN)

    assert response.status_code == 302
    invitation = invitation_of(workspaces.alpha)
    assert invitation.status == Invitation.Status.PENDING
    assert invitation.role == User.Role.ADMIN
    assert len(mail.outbox) == 2


# --- links that no longer work ------------------------------------------------------------------


def test_expired_invitation_shows_a_clear_page_and_creates_no_user(
    owner_client, client_for, workspaces, emails_now
):
    invite(owner_client, emails_now)
    path = link_path(mail.outbox[0])
    with in_schema(workspaces.alpha):
        Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    invitee = client_for(workspaces.alpha)

    page = invitee.get(path)
    response = accept(invitee, path)

    assert page.status_code == 410
    assert 'data-testid="invitation-expired"' in page.text
    assert 'name="password1"' not in page.text
    assert response.status_code == 410
    assert users_named(workspaces.alpha) == 0
    assert invitee.get("/").status_code == 302


def test_used_invitation_cannot_be_used_again(owner_client, client_for, workspaces, emails_now):
    invite(owner_client, emails_now)
    path = link_path(mail.outbox[0])
    accept(client_for(workspaces.alpha), path)

    second = client_for(workspaces.alpha)
    page = second.get(path)
    response = accept(second, path, full_name="Someone Else", password="another-pass-phrase-9")

    assert page.status_code == 410
    assert 'data-testid="invitation-accepted"' in page.text
    assert response.status_code == 410
    assert second.get("/").status_code == 302
    with in_schema(workspaces.alpha):
        nina = User.objects.get(email="nina@example.com")
    assert nina.full_name == "Nina Ríos" and nina.check_password(NEW_PASSWORD)
    assert len(events(workspaces.alpha, AuditEvent.Action.INVITATION_ACCEPTED)) == 1


def test_revoked_invitation_shows_a_clear_page(owner_client, client_for, workspaces, emails_now):
    invite(owner_client, emails_now)
    path = link_path(mail.outbox[0])
    invitation = invitation_of(workspaces.alpha)

    revoked = owner_client.post(f"/team/invitations/{invitation.pk}/revoke/")
    invitee = client_for(workspaces.alpha)
    page = invitee.get(path)
    response = accept(invitee, path)

    assert revoked.status_code == 302
    assert page.status_code == 410
    assert 'data-testid="invitation-revoked"' in page.text
    assert response.status_code == 410
    assert users_named(workspaces.alpha) == 0
    assert invitation_of(workspaces.alpha).status == Invitation.Status.REVOKED


def test_invitation_used_on_another_workspaces_subdomain_does_not_work(
    owner_client, client_for, workspaces, emails_now
):
    invite(owner_client, emails_now)
    path = link_path(mail.outbox[0])
    beta = client_for(workspaces.beta)

    page = beta.get(path)
    response = accept(beta, path)

    assert page.status_code == 404
    assert 'data-testid="invitation-invalid"' in page.text
    assert response.status_code == 404
    assert users_named(workspaces.beta) == 0
    assert users_named(workspaces.alpha) == 0
    assert beta.get("/").status_code == 302
    # on its own workspace the link still works
    assert invitation_of(workspaces.alpha).status == Invitation.Status.PENDING
    assert client_for(workspaces.alpha).get(path).status_code == 200


def test_made_up_link_is_not_found(client_for, workspaces):
    response = client_for(workspaces.alpha).get("/team/join/not-a-real-token/")

    assert response.status_code == 404
    assert 'data-testid="invitation-invalid"' in response.text


def test_resend_sends_a_new_link_and_the_old_one_stops_working(
    owner_client, client_for, workspaces, emails_now
):
    invite(owner_client, emails_now)
    old_path = link_path(mail.outbox[0])
    invitation = invitation_of(workspaces.alpha)
    with in_schema(workspaces.alpha):
        Invitation.objects.update(expires_at=timezone.now() + timedelta(days=1))

    with emails_now():
        response = owner_client.post(f"/team/invitations/{invitation.pk}/resend/")

    assert response.status_code == 302
    new_path = link_path(mail.outbox[1])
    assert new_path != old_path
    invitee = client_for(workspaces.alpha)
    assert invitee.get(old_path).status_code == 404
    assert invitee.get(new_path).status_code == 200
    assert invitation_of(workspaces.alpha).expires_at > timezone.now() + timedelta(days=6)
    [_, resent] = events(workspaces.alpha, AuditEvent.Action.INVITATION_SENT)
    assert resent.data == {"role": "staff", "resent": True}


# --- the plan's user limit ---------------------------------------------------------------------


@pytest.fixture
def free_plan(workspaces):
    """alpha on the free plan (2 users), for this test only."""
    Tenant.objects.filter(pk=workspaces.alpha.pk).update(plan=Plan.objects.get(code="free"))
    with in_schema(workspaces.alpha):
        assert User.objects.filter(is_active=True).count() == 1  # the owner


def test_invite_over_the_plans_user_limit_is_refused_with_the_message(
    owner_client, workspaces, emails_now, free_plan
):
    assert invite(owner_client, emails_now).status_code == 302  # owner + 1 pending = 2

    response = invite(owner_client, emails_now, email="one-too-many@example.com")

    assert response.status_code == 400
    assert "Your plan allows 2 users; upgrade to Básico for 5." in response.text
    assert len(mail.outbox) == 1
    with in_schema(workspaces.alpha):
        assert not Invitation.objects.filter(email="one-too-many@example.com").exists()
    assert len(events(workspaces.alpha, AuditEvent.Action.INVITATION_SENT)) == 1


def test_inactive_users_and_expired_invitations_do_not_take_a_seat(
    owner_client, workspaces, emails_now, free_plan
):
    member(workspaces.alpha, email="gone@alpha.test", is_active=False)
    invite(owner_client, emails_now)
    with in_schema(workspaces.alpha):
        Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    response = invite(owner_client, emails_now, email="next@example.com")

    assert response.status_code == 302


def test_resending_an_expired_invitation_over_the_limit_is_refused(
    owner_client, workspaces, emails_now, free_plan
):
    invite(owner_client, emails_now)
    with in_schema(workspaces.alpha):
        Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    invite(owner_client, emails_now, email="next@example.com")  # takes the freed seat
    expired = invitation_of(workspaces.alpha)

    response = owner_client.post(f"/team/invitations/{expired.pk}/resend/", follow=True)

    assert "Your plan allows 2 users" in response.text
    assert invitation_of(workspaces.alpha).status == Invitation.Status.EXPIRED


def test_accepting_is_refused_when_the_workspace_has_no_seat_left(
    owner_client, client_for, workspaces, emails_now
):
    invite(owner_client, emails_now)
    path = link_path(mail.outbox[0])
    member(workspaces.alpha, email="ana@alpha.test")  # the plan shrank meanwhile: 3 seats of 2
    Tenant.objects.filter(pk=workspaces.alpha.pk).update(plan=Plan.objects.get(code="free"))
    invitee = client_for(workspaces.alpha)
    invitee.cookies["django_language"] = "en"

    response = accept(invitee, path)

    assert response.status_code == 400
    assert "Your plan allows 2 users" in response.text
    assert users_named(workspaces.alpha) == 0
    assert invitation_of(workspaces.alpha).status == Invitation.Status.PENDING


# --- the email task ----------------------------------------------------------------------------


def test_invitation_email_task_is_safe_to_run_twice(db, workspaces):
    with in_schema(workspaces.alpha):
        invitation = invitation_create(
            invited_by=owner_of(workspaces.alpha),
            email="nina@example.com",
            role=User.Role.STAFF,
            base_url="http://alpha.localhost/",
        )  # in the test's transaction: the on-commit send does not happen

        first = tasks.send_invitation_email(invitation_id=invitation.pk, base_url="http://alpha.localhost/")
        second = tasks.send_invitation_email(invitation_id=invitation.pk, base_url="http://alpha.localhost/")

    assert (first, second) == (True, False)
    assert len(mail.outbox) == 1


def test_invitation_email_task_sends_nothing_for_a_revoked_invitation(db, workspaces):
    with in_schema(workspaces.alpha):
        invitation = invitation_create(
            invited_by=owner_of(workspaces.alpha),
            email="nina@example.com",
            role=User.Role.STAFF,
            base_url="http://alpha.localhost/",
        )
        Invitation.objects.filter(pk=invitation.pk).update(revoked_at=timezone.now())

        assert tasks.send_invitation_email(invitation_id=invitation.pk, base_url="http://x/") is False
    assert mail.outbox == []


def test_invitation_email_is_sent_by_the_worker_inside_the_workspace_schema(
    celery_worker_process, workspaces, committed
):
    email = "worker-invitee@example.com"
    with in_schema(workspaces.alpha):
        try:
            invitation = invitation_create(
                invited_by=owner_of(workspaces.alpha),
                email=email,
                role=User.Role.STAFF,
                base_url="http://alpha.localhost/",
            )  # committed: the task goes to the worker after commit
            placeholder = invitation.token_hash
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                invitation.refresh_from_db()
                if invitation.sent_at is not None:
                    break
                time.sleep(0.2)
            assert invitation.sent_at is not None, "the worker did not send the invitation"
            assert invitation.token_hash != placeholder  # the worker issued the link's token here
        finally:
            Invitation.objects.filter(email=email).delete()
            AuditEvent.objects.filter(target=email).delete()
