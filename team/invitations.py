"""Invitations to join a workspace's team: invite, resend, revoke, accept, and the email.

A link's token is random (256 bits) and issued when the email is sent: the database keeps only
its SHA-256 and the raw token lives in the email alone (not in the broker, not in the logs).
A link works once, for seven days, and only on the workspace that issued it (the row lives in
that workspace's schema). Issuing a new token (resend) makes the previous link worthless.
"""

import secrets
from datetime import timedelta
from urllib.parse import urljoin

from celery import current_app
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.exceptions import InvitationRefused, InvitationUnusable
from accounts.models import Invitation, User
from accounts.permissions import Perm, require_perm
from accounts.selectors import team_seats_taken
from accounts.services import user_create
from audit.models import AuditEvent
from audit.services import audit_record
from branding.selectors import email_branding
from tenants.limits import workspace_limit_check
from tenants.selectors import tenant_current

INVITATION_TTL = timedelta(days=7)
# The email task (team/tasks.py), enqueued by name.
INVITATION_EMAIL_TASK = "team.tasks.send_invitation_email"


def invitation_unusable_message(status: str) -> str:
    """What the invitee is told when a link cannot be used."""
    messages = {
        Invitation.Status.EXPIRED: _(
            "This invitation has expired. Ask the workspace owner to send you a new one."
        ),
        Invitation.Status.ACCEPTED: _(
            "This invitation has already been used. Sign in with your email and password."
        ),
        Invitation.Status.REVOKED: _("This invitation was withdrawn by the workspace owner."),
    }
    return messages.get(
        status,
        _(
            "This invitation link is not valid here. If you were sent a newer invitation, use the link "
            "in the latest email."
        ),
    )


def _unknown_token_hash() -> str:
    """A hash nobody holds the token for: the row's link does not work until the email is sent."""
    return Invitation.hash_token(secrets.token_urlsafe(32))


def _lock_seats() -> None:
    """Serialise the writes that take a seat on the team (invite, resend, accept) within this
    workspace, so two at once cannot both pass the plan's user limit. The table is the current
    schema's: other workspaces are not held up."""
    with connection.cursor() as cursor:
        cursor.execute(f'LOCK TABLE "{Invitation._meta.db_table}" IN SHARE ROW EXCLUSIVE MODE')


def _refuse_members(email: str) -> None:
    if User.objects.filter(email__iexact=email).exists():
        raise InvitationRefused(_("%(email)s is already a member of this workspace.") % {"email": email})


def _send_after_commit(invitation: Invitation, base_url: str) -> None:
    # Enqueued by name: the task module imports this one, never the other way round.
    kwargs = {"invitation_id": invitation.pk, "base_url": base_url}
    transaction.on_commit(lambda: current_app.send_task(INVITATION_EMAIL_TASK, kwargs=kwargs))


def _issue(invitation: Invitation, *, sent_by: User) -> None:
    """Start a new seven days for the invitation; the email will carry a fresh token."""
    invitation.invited_by = sent_by
    invitation.token_hash = _unknown_token_hash()
    invitation.expires_at = timezone.now() + INVITATION_TTL
    invitation.sent_at = None


def invitation_create(*, invited_by: User, email: str, role: str, base_url: str, request=None) -> Invitation:
    """Invite ``email`` to join with ``role``; the email goes out (Celery) after commit.

    ``base_url`` is the workspace's address as the inviter reached it (the link is built on it);
    ``request`` only tells the audit log where the invitation came from. An expired invitation
    to the same address is renewed rather than duplicated.
    """
    require_perm(invited_by, Perm.INVITE_USERS)
    if role not in User.Role.values:
        raise ValueError(f"unknown role {role!r}")
    email = User.objects.normalize_email(email).strip().lower()
    with transaction.atomic():
        _lock_seats()
        _refuse_members(email)
        invitation = Invitation.objects.open().select_for_update().filter(email=email).first()
        if invitation is not None and invitation.status == Invitation.Status.PENDING:
            raise InvitationRefused(
                _("%(email)s has already been invited. You can resend the invitation from the list.")
                % {"email": email}
            )
        workspace_limit_check(resource="users", current=team_seats_taken())
        invitation = invitation or Invitation(email=email)
        invitation.role = role
        _issue(invitation, sent_by=invited_by)
        invitation.save()
        audit_record(
            action=AuditEvent.Action.INVITATION_SENT,
            actor=invited_by,
            target=email,
            request=request,
            data={"role": role},
        )
        _send_after_commit(invitation, base_url)
    return invitation


def invitation_resend(*, actor: User, invitation: Invitation, base_url: str, request=None) -> Invitation:
    """Send the invitation again with a new link and seven more days; the old link stops working.

    An expired invitation takes a seat again, so the plan's user limit is checked.
    """
    require_perm(actor, Perm.INVITE_USERS)
    with transaction.atomic():
        _lock_seats()
        invitation = Invitation.objects.open().select_for_update().filter(pk=invitation.pk).first()
        if invitation is None:
            raise InvitationRefused(_("This invitation has been accepted or withdrawn in the meantime."))
        _refuse_members(invitation.email)
        if invitation.status == Invitation.Status.EXPIRED:
            workspace_limit_check(resource="users", current=team_seats_taken())
        _issue(invitation, sent_by=actor)
        invitation.save(update_fields=["invited_by", "token_hash", "expires_at", "sent_at", "updated_at"])
        audit_record(
            action=AuditEvent.Action.INVITATION_SENT,
            actor=actor,
            target=invitation.email,
            request=request,
            data={"role": invitation.role, "resent": True},
        )
        _send_after_commit(invitation, base_url)
    return invitation


def invitation_revoke(*, actor: User, invitation: Invitation) -> Invitation:
    """Withdraw an open invitation: its link then shows that it was withdrawn. Safe to repeat."""
    require_perm(actor, Perm.INVITE_USERS)
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is None and invitation.revoked_at is None:
            invitation.revoked_at = timezone.now()
            invitation.save(update_fields=["revoked_at", "updated_at"])
    return invitation


def invitation_accept(*, raw_token: str, full_name: str, password: str, request=None) -> User:
    """Create the invitee's account with the invitation's role and spend the invitation.

    Raises InvitationUnusable when the link is unknown here, expired, used or withdrawn, and
    PlanLimitReached when the workspace has no seat left (after a downgrade). The caller signs
    the new user in.
    """
    with transaction.atomic():
        _lock_seats()
        invitation = (
            Invitation.objects.select_for_update().filter(token_hash=Invitation.hash_token(raw_token)).first()
        )
        if invitation is None:
            raise InvitationUnusable(invitation_unusable_message("invalid"), status="invalid")
        status = invitation.status
        if status != Invitation.Status.PENDING:
            raise InvitationUnusable(invitation_unusable_message(status), status=status)
        _refuse_members(invitation.email)
        # This invitation already holds one of the seats counted.
        workspace_limit_check(resource="users", current=team_seats_taken() - 1)
        user = user_create(
            email=invitation.email, password=password, full_name=full_name.strip(), role=invitation.role
        )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
        audit_record(
            action=AuditEvent.Action.INVITATION_ACCEPTED,
            actor=user,
            target=invitation.email,
            request=request,
            data={"role": invitation.role},
        )
    return user


def invitation_email_send(*, invitation_id: int, base_url: str) -> bool:
    """Issue the invitation's token and email the link (HTML and text, in the workspace's
    language). Sends nothing, and returns False, when the invitation is no longer pending or
    its email already went out: running it twice sends one email."""
    tenant = tenant_current()
    with transaction.atomic():
        # Same lock order as invite/resend/accept (table, then row): taking the row first and
        # the table's RowExclusive lock on UPDATE deadlocked against a concurrent invite.
        _lock_seats()
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("invited_by")
            .filter(pk=invitation_id)
            .first()
        )
        if invitation is None or invitation.status != Invitation.Status.PENDING or invitation.sent_at:
            return False
        raw = secrets.token_urlsafe(32)
        invitation.token_hash = Invitation.hash_token(raw)
        invitation.sent_at = timezone.now()
        invitation.save(update_fields=["token_hash", "sent_at", "updated_at"])
        inviter = invitation.invited_by
        branding = email_branding(tenant)
        context = {
            "branding": branding,
            "workspace_name": branding.name if tenant else "",
            "inviter_name": inviter.get_full_name() if inviter else "",
            "link": urljoin(base_url, reverse("team:invitation_accept", kwargs={"token": raw})),
            "expires_at": invitation.expires_at,
        }
        language = tenant.language if tenant else settings.LANGUAGE_CODE
        time_zone = tenant.time_zone if tenant else settings.TIME_ZONE
        with translation.override(language), timezone.override(time_zone):
            context["role"] = invitation.get_role_display()
            subject = render_to_string("team/email/invitation_subject.txt", context).strip()
            text = render_to_string("team/email/invitation.txt", context)
            html = render_to_string("team/email/invitation.html", context)
        message = EmailMultiAlternatives(
            subject,
            text,
            branding.from_email,
            [invitation.email],
            reply_to=[inviter.email] if inviter else None,
        )
        message.attach_alternative(html, "text/html")
        # Inside the transaction: if sending fails, the token and sent_at roll back and a retry
        # issues a new link.
        message.send()
    return True
