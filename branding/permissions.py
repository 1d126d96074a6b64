"""Who may change the workspace's branding: owners and admins (Perm.MANAGE_BRANDING)."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from accounts.permissions import Perm, has_perm


def can_manage_branding(user) -> bool:
    return has_perm(user, Perm.MANAGE_BRANDING)


def branding_manager_required(view):
    """Sign-in required, then an owner or an admin (403 for anyone else)."""

    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not can_manage_branding(request.user):
            raise PermissionDenied("manage_branding")
        return view(request, *args, **kwargs)

    return wrapped
