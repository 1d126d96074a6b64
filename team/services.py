"""Changes to a workspace's team (roles, deactivation), each recorded in the audit log."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.exceptions import LastOwnerError
from accounts.models import User
from accounts.permissions import Perm, require_perm
from audit.models import AuditEvent
from audit.services import audit_record


def _lock_for_team_change(user: User) -> tuple[User, list[int]]:
    """Lock the active owners (in a stable order), then the target; returns the fresh target and
    the active owners' ids. Two owners demoting each other at once are thus serialised, and one
    of them is refused instead of both succeeding."""
    owner_ids = list(
        User.objects.select_for_update()
        .filter(role=User.Role.OWNER, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return User.objects.select_for_update().get(pk=user.pk), owner_ids


def _is_last_owner(user: User, owner_ids: list[int]) -> bool:
    return user.is_active and user.role == User.Role.OWNER and owner_ids == [user.pk]


def user_role_change(*, actor: User, user: User, role: str, request=None) -> User:
    """Give ``user`` another role; the workspace's last active owner keeps theirs.

    ``request`` only tells the audit log where the change came from.
    """
    require_perm(actor, Perm.MANAGE_TEAM)
    if role not in User.Role.values:
        raise ValueError(f"unknown role {role!r}")
    with transaction.atomic():
        user, owner_ids = _lock_for_team_change(user)
        previous = user.role
        if previous == role:
            return user
        if _is_last_owner(user, owner_ids):
            raise LastOwnerError(
                _("%(name)s is the workspace's only owner. Make someone else an owner first.")
                % {"name": user.get_full_name()}
            )
        user.role = role
        user.save(update_fields=["role"])
        audit_record(
            action=AuditEvent.Action.ROLE_CHANGED,
            actor=actor,
            target=user.email,
            request=request,
            data={"from": previous, "to": role},
        )
    return user


def user_deactivate(*, actor: User, user: User, request=None) -> User:
    """Stop ``user`` from signing in (their open sessions stop working at once: an inactive
    user is anonymous to the authentication middleware). The last active owner stays.

    Running it twice changes nothing the second time.
    """
    require_perm(actor, Perm.MANAGE_TEAM)
    with transaction.atomic():
        user, owner_ids = _lock_for_team_change(user)
        if not user.is_active:
            return user
        if _is_last_owner(user, owner_ids):
            raise LastOwnerError(
                _("%(name)s is the workspace's only owner and cannot be deactivated.")
                % {"name": user.get_full_name()}
            )
        user.is_active = False
        user.save(update_fields=["is_active"])
        audit_record(
            action=AuditEvent.Action.USER_DEACTIVATED,
            actor=actor,
            target=user.email,
            request=request,
        )
    return user
