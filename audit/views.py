"""The audit log screen: owners and admins read who did what, when, from where."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.models import User
from accounts.permissions import Perm, permission_required_view
from audit.forms import AuditFilterForm
from audit.selectors import audit_event_list

EVENTS_PER_PAGE = 50


@permission_required_view(Perm.VIEW_AUDIT_LOG)
@require_GET
def audit_log(request):
    """The log, newest first, filtered by action, user and date range, 50 events a page."""
    form = AuditFilterForm(request.GET or None)
    filters = {}
    if form.is_bound:
        # Fills cleaned_data with the valid filters, which still apply; invalid ones show errors.
        form.is_valid()
        filters = form.cleaned_data
    events = audit_event_list(
        action=filters.get("action") or "",
        user=filters.get("user"),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/list.html",
        {"form": form, "page": page, "role_labels": dict(User.Role.choices)},
    )
