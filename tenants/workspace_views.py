"""The workspace's settings pages (workspace subdomain, /settings/): the plan to choose, the
data export and the deletion of the workspace."""

from django import forms
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import Perm, has_perm, permission_required_view
from tenants.data_rights import (
    DELETION_GRACE,
    EXPORT_RETENTION,
    DeletionConfirmationMismatch,
    data_export_for,
    data_export_list,
    data_export_request,
    workspace_close,
)
from tenants.lifecycle import StatusChangeRefused, plan_offers_for, support_email
from tenants.models import DataExport


@login_required
def settings_index(request):
    """What the signed-in user may do with the workspace's settings."""
    return render(
        request,
        "workspace_admin/index.html",
        {
            "can_export": has_perm(request.user, Perm.EXPORT_DATA),
            "can_delete": has_perm(request.user, Perm.DELETE_WORKSPACE),
        },
    )


@login_required
def plan(request):
    """The plans, with their price in the workspace's currency (payment comes with billing)."""
    tenant = request.tenant
    return render(
        request,
        "workspace_admin/plan.html",
        {
            "offers": plan_offers_for(tenant),
            "can_manage_billing": has_perm(request.user, Perm.MANAGE_BILLING),
            "support_email": support_email(),
        },
    )


def _export_json(export: DataExport) -> dict:
    done = export.status == DataExport.Status.DONE and bool(export.file)
    return {
        "id": export.pk,
        "status": export.status,
        "status_display": str(export.get_status_display()),
        "progress": export.progress,
        "download_url": reverse("workspace_admin:export_download", args=[export.pk]) if done else None,
    }


@permission_required_view(Perm.EXPORT_DATA)
def data(request):
    """The owner's data rights: export everything, or go on to delete the workspace."""
    exports = data_export_list(tenant=request.tenant)
    return render(
        request,
        "workspace_admin/data.html",
        {
            "exports": exports,
            "retention_days": EXPORT_RETENTION.days,
            "can_delete": has_perm(request.user, Perm.DELETE_WORKSPACE),
        },
    )


@require_POST
@permission_required_view(Perm.EXPORT_DATA)
def export_start(request):
    data_export_request(tenant=request.tenant, user=request.user)
    return redirect("workspace_admin:data")


@require_GET
@permission_required_view(Perm.EXPORT_DATA)
def export_status(request, export_id: int):
    """The export's progress, polled by the data page."""
    export = data_export_for(tenant=request.tenant, export_id=export_id)
    if export is None:
        raise Http404
    return JsonResponse(_export_json(export))


@require_GET
@permission_required_view(Perm.EXPORT_DATA)
def export_download(request, export_id: int):
    """The export's zip, to the owner of this workspace only (never a public media URL)."""
    export = data_export_for(tenant=request.tenant, export_id=export_id)
    if export is None or export.status != DataExport.Status.DONE or not export.file:
        raise Http404
    try:
        handle = export.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    filename = f"{request.tenant.slug}-{export.created_at:%Y%m%d-%H%M}.zip"
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type="application/zip")
    response["Cache-Control"] = "private, no-store"
    return response


class DeleteWorkspaceForm(forms.Form):
    confirmation = forms.CharField(label=_("Subdomain"), max_length=63, strip=True)


@permission_required_view(Perm.DELETE_WORKSPACE)
def delete(request):
    """Close the workspace at once (after typing its subdomain); its data goes after the grace."""
    tenant = request.tenant
    form = DeleteWorkspaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            deletion = workspace_close(
                tenant=tenant,
                user=request.user,
                confirmation=form.cleaned_data["confirmation"],
                request=request,
            )
        except (DeletionConfirmationMismatch, StatusChangeRefused) as error:
            form.add_error("confirmation", str(error))
        else:
            logout(request)
            return render(
                request,
                "lifecycle/closed_done.html",
                {"workspace": tenant, "deletion": deletion, "support_email": support_email()},
            )
    return render(
        request,
        "workspace_admin/delete.html",
        {"form": form, "grace_days": DELETION_GRACE.days},
        status=400 if form.errors else 200,
    )
