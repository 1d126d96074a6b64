"""Reads of the team and its invitations, in the schema that is active on the connection.

Ids from a request are resolved here; a missing row is a 404 (an id of another workspace is
simply not in this schema).
"""

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.shortcuts import get_object_or_404

from accounts.models import Invitation, User

_ROLE_ORDER = Case(
    When(role=User.Role.OWNER, then=Value(0)),
    When(role=User.Role.ADMIN, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def user_list_team() -> QuerySet[User]:
    """The workspace's users: active first, then owners, admins, staff, then by email."""
    return User.objects.annotate(role_order=_ROLE_ORDER).order_by("-is_active", "role_order", "email")


def user_get_for_team(*, user_id: int) -> User:
    return get_object_or_404(User, pk=user_id)


def invitation_list_open() -> QuerySet[Invitation]:
    """Invitations neither accepted nor revoked (pending or expired), newest first."""
    return Invitation.objects.open().select_related("invited_by").order_by("-created_at")


def invitation_get_open(*, invitation_id: int) -> Invitation:
    return get_object_or_404(Invitation.objects.open(), pk=invitation_id)


def invitation_get_by_token(*, raw: str) -> Invitation | None:
    """The invitation a link's token belongs to, in this workspace, whatever its state."""
    return Invitation.objects.filter(token_hash=Invitation.hash_token(raw)).first()


def team_seats_taken() -> int:
    """What counts against the plan's user limit: active users and pending invitations."""
    return User.objects.filter(is_active=True).count() + Invitation.objects.pending().count()
