"""Who may call what: the workspace's plan must include the API, and the caller's role must hold
the endpoint's permission in accounts.permissions (the same table as the web screens)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.permissions import BasePermission

from accounts.permissions import Perm, has_perm


class PlanWithoutApi(exceptions.PermissionDenied):
    default_detail = _("Your plan does not include API access.")
    default_code = "plan_without_api"


class PlanWithoutForecasts(exceptions.PermissionDenied):
    default_detail = _("Your plan does not include forecasts.")
    default_code = "plan_without_forecasts"


# The plan features a view may require (``required_plan_feature``), and the refusal of each.
PLAN_FEATURES = {"has_forecasts": PlanWithoutForecasts}


def plan_allows_api(tenant) -> bool:
    plan = getattr(tenant, "plan", None)
    return bool(plan and plan.has_api)


def plan_has_feature(tenant, feature: str) -> bool:
    plan = getattr(tenant, "plan", None)
    return bool(plan and getattr(plan, feature))


class WorkspaceApiAccess(BasePermission):
    """Signed in (token or session), plan with API access, and the role permission of the method.

    Views declare ``required_perms = {"GET": Perm.X, "POST": Perm.Y}``; a method not listed is
    refused (no permission falls open). A view may also name a plan feature its screens need
    (``required_plan_feature = "has_forecasts"``): a plan without it is refused like the web's.
    """

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            raise exceptions.NotAuthenticated()
        if not plan_allows_api(getattr(request, "tenant", None)):
            raise PlanWithoutApi()
        feature = getattr(view, "required_plan_feature", None)
        if feature and not plan_has_feature(request.tenant, feature):
            raise PLAN_FEATURES[feature]()
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
