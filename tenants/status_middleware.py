"""What a workspace's status allows, enforced for every request on its subdomain.

- trial expired: read-only. Unsafe methods are refused (a page, or JSON under /api/), except
  signing in and out, the language switch and the settings/billing pages (where a plan is
  chosen). Every HTML page carries a banner leading to the plan page.
- suspended / closed: a page saying so (403) instead of the workspace, whatever the path.
- unconfirmed (signed up, email not confirmed yet): a "check your email" page (403) with a
  button to send the link again, whatever the path, except the confirmation link itself.
- template: never served (the "no such workspace" 404).

Placed after AuthenticationMiddleware (the refusal pages show who is signed in) and after
CsrfViewMiddleware.
"""

from django.http import JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name

from tenants.confirmation import UNCONFIRMED_PURGE_AFTER
from tenants.data_rights import DELETION_GRACE
from tenants.lifecycle import support_email
from tenants.models import Tenant, TenantEvent
from tenants.views import no_such_workspace

Status = Tenant.Status

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# URL names that stay usable on a suspended or closed workspace (its pages offer the switcher,
# and show the workspace's logo and icon).
ALWAYS_ALLOWED = frozenset({"set_language", "favicon", "branding:file"})
# ... and that take writes while the workspace is read-only.
READ_ONLY_ALLOWED = ALWAYS_ALLOWED | {
    "account_login",
    "account_logout",
    "account_reset_password",
    "account_reset_password_from_key",
}
READ_ONLY_ALLOWED_NAMESPACES = frozenset({"workspace_admin", "billing"})
UNCONFIRMED_ALLOWED_NAMESPACES = frozenset({"confirm"})
BANNER_MARKER = b"data-lifecycle-banner"


def _url_match(request):
    try:
        return resolve(request.path_info, urlconf=getattr(request, "urlconf", None))
    except Resolver404:
        return None


def _allowed(request, names: frozenset, namespaces: frozenset = frozenset()) -> bool:
    match = _url_match(request)
    if match is None:
        return False
    return match.view_name in names or bool(set(match.namespaces) & namespaces)


def _is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def _suspended_for_payment(tenant: Tenant) -> bool:
    """Whether the latest suspension was billing's (unpaid invoices), not the super-admin's."""
    event = (
        TenantEvent.objects.filter(tenant_ref=tenant.pk, action=TenantEvent.Action.SUSPENDED)
        .order_by("-created_at", "-pk")
        .values_list("data", flat=True)
        .first()
    )
    return bool(event) and event.get("reason") == "payment_overdue"


class WorkspaceStatusMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tenant = getattr(request, "tenant", None)
        if tenant is None or tenant.schema_name == get_public_schema_name():
            return self.get_response(request)
        status = tenant.status
        if status == Status.TEMPLATE:
            return no_such_workspace(request)
        if status == Status.UNCONFIRMED:
            if _allowed(request, ALWAYS_ALLOWED, UNCONFIRMED_ALLOWED_NAMESPACES):
                return self.get_response(request)
            return self._unconfirmed(request, tenant)
        if status == Status.SUSPENDED and _suspended_for_payment(tenant):
            # The owner can still sign in and settle the bill, which reactivates the workspace.
            if not _allowed(request, READ_ONLY_ALLOWED, frozenset({"billing"})):
                return self._blocked(request, tenant, payment_overdue=True)
            return self.get_response(request)
        if status in (Status.SUSPENDED, Status.CLOSED) and not _allowed(request, ALWAYS_ALLOWED):
            return self._blocked(request, tenant)
        if status == Status.TRIAL_EXPIRED:
            if request.method not in SAFE_METHODS and not _allowed(
                request, READ_ONLY_ALLOWED, READ_ONLY_ALLOWED_NAMESPACES
            ):
                return self._read_only(request, tenant)
            return self._with_banner(request, self.get_response(request))
        return self.get_response(request)

    def _blocked(self, request, tenant: Tenant, payment_overdue: bool = False):
        if tenant.status == Status.SUSPENDED:
            code, detail, template = (
                "workspace_suspended",
                _("This workspace is suspended."),
                "lifecycle/suspended.html",
            )
        else:
            code, detail, template = (
                "workspace_closed",
                _("This workspace is closed."),
                "lifecycle/closed.html",
            )
        if _is_api(request):
            return JsonResponse({"detail": detail, "code": code}, status=403)
        context = {
            "workspace": tenant,
            "support_email": support_email(),
            "grace_days": DELETION_GRACE.days,
            "payment_overdue": payment_overdue,
        }
        return render(request, template, context, status=403)

    def _unconfirmed(self, request, tenant: Tenant):
        if _is_api(request):
            return JsonResponse(
                {
                    "detail": _("This workspace opens once its owner confirms their email."),
                    "code": "workspace_unconfirmed",
                },
                status=403,
            )
        context = {"workspace": tenant, "hours": int(UNCONFIRMED_PURGE_AFTER.total_seconds() // 3600)}
        return render(request, "lifecycle/unconfirmed.html", context, status=403)

    def _read_only(self, request, tenant: Tenant):
        if _is_api(request):
            return JsonResponse(
                {
                    "detail": _("This workspace is read-only until a plan is chosen."),
                    "code": "workspace_read_only",
                },
                status=403,
            )
        return render(request, "lifecycle/read_only.html", {"workspace": tenant}, status=403)

    def _with_banner(self, request, response):
        """Put the banner at the top of every HTML page (after the site header).

        The page templates are not this app's; were ``lifecycle/banner.html`` included in
        base.html, the marker is found and nothing is added.
        """
        if (
            response.streaming
            or not response.get("Content-Type", "").startswith("text/html")
            or BANNER_MARKER in response.content
        ):
            return response
        banner = render_to_string("lifecycle/banner.html", {"workspace": request.tenant}, request=request)
        banner_bytes = banner.encode(response.charset)
        content = response.content
        for anchor, after in ((b"</header>", True), (b"<main", False)):
            index = content.find(anchor)
            if index != -1:
                at = index + len(anchor) if after else index
                break
        else:
            return response
        response.content = content[:at] + banner_bytes + content[at:]
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        return response
