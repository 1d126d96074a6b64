"""Import screens: upload a CSV or Excel file, preview its columns, check it (dry run), import it,
and follow a background import's progress (a small JSON endpoint the page polls).

Ids in URLs are resolved through inventory.imports.selectors (another workspace's or another
role's import is a 404); writes go through inventory.imports.services.
"""

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import Perm, permission_required_view
from inventory.exceptions import InventoryError, NotFound
from inventory.imports.columns import FIELDS
from inventory.imports.forms import ImportUploadForm
from inventory.imports.selectors import (
    import_job_get,
    import_job_list,
    import_job_preview,
    import_job_progress,
)
from inventory.imports.services import import_job_create, import_job_numbers_choose, import_job_start
from inventory.models import ImportJob

RECENT_IMPORTS = 20
ERRORS_SHOWN = 1_000


def _job_or_404(job_id, user) -> ImportJob:
    try:
        return import_job_get(job_id=job_id, user=user)
    except NotFound as missing:
        raise Http404(str(missing)) from None


@require_http_methods(["GET", "POST"])
@permission_required_view(Perm.IMPORT_DATA)
def import_list(request):
    """Upload a file (what it holds, the file, a location for rows without one) and the recent imports."""
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = import_job_create(
                user=request.user,
                kind=form.cleaned_data["kind"],
                file=form.cleaned_data["file"],
                default_location=form.cleaned_data["location"],
                language=request.LANGUAGE_CODE,
            )
        except InventoryError as error:
            form.add_error("file", error.message)
        else:
            return redirect("workspace:import_detail", job_id=job.pk)
    return render(
        request,
        "inventory/imports/list.html",
        {
            "form": form,
            "jobs": import_job_list()[:RECENT_IMPORTS],
            "kinds": [(label, FIELDS[kind]) for kind, label in ImportJob.Kind.choices],
        },
    )


@require_GET
@permission_required_view(Perm.IMPORT_DATA)
def import_detail(request, job_id: int):
    """The preview (columns matched to fields, first rows), the run's outcome and every bad row."""
    job = _job_or_404(job_id, request.user)
    preview = import_job_preview(job=job)
    return render(
        request,
        "inventory/imports/detail.html",
        {
            "job": job,
            "preview": preview,
            "progress": import_job_progress(job=job),
            "errors": job.errors[:ERRORS_SHOWN],
            "errors_hidden": max(len(job.errors) - ERRORS_SHOWN, 0),
            "can_run": job.status not in (ImportJob.Status.DONE, *ImportJob.ACTIVE),
            "can_choose": job.status not in (ImportJob.Status.DONE, *ImportJob.ACTIVE),
        },
    )


@require_POST
@permission_required_view(Perm.IMPORT_DATA)
def import_numbers(request, job_id: int):
    """Say how the file's ambiguous numeric columns write their numbers (``column-<index>``)."""
    job = _job_or_404(job_id, request.user)
    choices = {
        key.removeprefix("column-"): value for key, value in request.POST.items() if key.startswith("column-")
    }
    try:
        import_job_numbers_choose(job=job, user=request.user, choices=choices)
    except InventoryError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Saved. Check the numbers in the preview."))
    return redirect("workspace:import_detail", job_id=job.pk)


@require_POST
@permission_required_view(Perm.IMPORT_DATA)
def import_run(request, job_id: int):
    """Check the file (``dry_run=1``) or import it; small files run now, big ones in the background."""
    job = _job_or_404(job_id, request.user)
    dry_run = request.POST.get("dry_run") == "1"
    try:
        job = import_job_start(job=job, user=request.user, dry_run=dry_run)
    except InventoryError as error:
        messages.error(request, error.message)
        return redirect("workspace:import_detail", job_id=job.pk)
    job.refresh_from_db()
    if job.status == ImportJob.Status.DONE:
        messages.success(request, _("The file was imported."))
    elif job.status == ImportJob.Status.CHECKED:
        messages.success(request, _("The file has no errors; nothing was imported yet."))
    elif job.status == ImportJob.Status.FAILED:
        messages.error(request, _("The file has errors; nothing was imported."))
    return redirect("workspace:import_detail", job_id=job.pk)


@require_GET
@permission_required_view(Perm.IMPORT_DATA)
def import_status(request, job_id: int):
    """The import's status and progress, polled by the import page while it runs."""
    job = _job_or_404(job_id, request.user)
    return JsonResponse(
        {
            "id": job.pk,
            "status": job.status,
            "status_display": str(job.get_status_display()),
            "progress": import_job_progress(job=job),
            "active": job.is_active,
            "errors": len(job.errors),
            "counts": job.counts,
            "url": reverse("workspace:import_detail", args=[job.pk]),
        }
    )
