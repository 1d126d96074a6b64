"""Who may call what: the workspace's plan must include the API, and the caller's role must hold
the endpoint's permission in accounts.permissions (the same table as the web screens)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.permissions import BasePermission

from accounts.permissions import Perm, has_perm


class PlanWithoutApi(exceptions.PermissionDenied):
    default_detail = _("Your plan does not include API access.")
    default_code = "plan_without_api"


def plan_allows_api(tenant) -> bool:
    plan = getattr(tenant, "plan", None)
    return bool(plan and plan.has_api)


class WorkspaceApiAccess(BasePermission):
    """Signed in (token or session), plan with API access, and the role permission of the method.

    Views declare ``required_perms = {"GET": Perm.X, "POST": Perm.Y}``; a method not listed is
    refused (no permission falls open).
    """

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            raise exceptions.NotAuthenticated()
        if not plan_allows_api(getattr(request, "tenant", None)):
            raise PlanWithoutApi()
        perm = required_perm(view, request.method)
        if perm is None:
            return False
        if perm is ANY_MEMBER:
            return request.user.is_active
        return has_perm(request.user, perm)


class _AnyMember:
    """Any active member of the workspace (their own tokens)."""


ANY_MEMBER = _AnyMember()


def required_perm(view, method: str) -> Perm | _AnyMember | None:
    perms = getattr(view, "required_perms", {})
    if method in ("HEAD", "OPTIONS"):
        method = "GET"
    return perms.get(method)
