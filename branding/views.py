"""The branding page (owners and admins), the public /branding.json and the branding files."""

from django.contrib import messages
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from branding.exceptions import BrandingRefused
from branding.forms import FIELD_FEATURES, BrandingForm
from branding.images import MAX_UPLOAD_BYTES
from branding.levels import Feature, level_allows
from branding.permissions import branding_manager_required
from branding.selectors import (
    branding_effective,
    branding_for_request,
    branding_get,
    branding_level,
    branding_product_default,
    with_absolute_urls,
)
from branding.services import branding_reset, branding_update, feature_locked_message
from branding.storage import FILE_NAME, content_type_of, file_open
from branding.uploads import limit_uploads

# Content-hashed names never change content: cache them for a year.
FILE_CACHE_CONTROL = "public, max-age=31536000, immutable"
JSON_CACHE_CONTROL = "public, max-age=60"


def _page(request, form, stored):
    tenant = request.tenant
    level = branding_level(tenant)
    return render(
        request,
        "branding/edit.html",
        {
            "form": form,
            "stored": stored,
            # What the workspace shows today: the preview starts from it.
            "current": branding_for_request(request),
            "level": level,
            "plan": tenant.plan,
            "allows": {feature.value: level_allows(level, feature) for feature in Feature},
            "defaults": branding_product_default(),
        },
    )


def _form(request, stored, data=None, files=None, too_large=()):
    tenant = request.tenant
    level = branding_level(tenant)
    locked = {
        feature: feature_locked_message(tenant, feature)
        for feature in set(FIELD_FEATURES.values())
        if not level_allows(level, feature)
    }
    return BrandingForm(
        data, files, level=level, branding=stored, locked_messages=locked, too_large=too_large
    )


@csrf_exempt  # only so the size limit can be put before the body is read; checked right below
@branding_manager_required
@require_http_methods(["GET", "POST"])
def branding_edit(request):
    """Show and change the branding, with a live preview (the page's script) before saving."""
    limiter = limit_uploads(request, MAX_UPLOAD_BYTES) if request.method == "POST" else None
    return _branding_edit(request, limiter)


@csrf_protect
def _branding_edit(request, limiter):
    stored = branding_get()
    if request.method != "POST":
        return _page(request, _form(request, stored), stored)
    form = _form(request, stored, request.POST, request.FILES, too_large=limiter.too_large if limiter else ())
    if not form.is_valid():
        return _page(request, form, stored)
    try:
        branding_update(
            tenant=request.tenant, actor=request.user, request=request, **form.service_arguments()
        )
    except BrandingRefused as refused:
        for field_name, errors in refused.errors.items():
            for error in errors:
                form.add_error(field_name if field_name in form.fields else None, error.message)
        return _page(request, form, stored)
    messages.success(request, _("Branding saved."))
    return redirect("branding:edit")


@branding_manager_required
@require_POST
def branding_reset_view(request):
    """Back to the product's defaults (the page asks for confirmation first)."""
    branding_reset(tenant=request.tenant, actor=request.user, request=request)
    messages.success(request, _("Branding reset to the defaults."))
    return redirect("branding:edit")


@require_safe
def branding_json(request):
    """The public branding of this workspace, without sign-in, for the point of sale and others."""
    branding = with_absolute_urls(branding_effective(tenant=request.tenant), request.build_absolute_uri)
    response = JsonResponse(branding.as_public_dict(), json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = JSON_CACHE_CONTROL
    # Public data: any client (a point of sale on another origin) may read it, without cookies.
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def branding_file(request, schema: str, file_name: str):
    """A branding file of this workspace (local storage). Another workspace's path is a 404 here,
    and only names this app produces are looked up."""
    if schema != request.tenant.schema_name or not FILE_NAME.match(file_name):
        raise Http404
    try:
        stored = file_open(file_name)
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    response = FileResponse(stored, content_type=content_type_of(file_name))
    response["Cache-Control"] = FILE_CACHE_CONTROL
    # Opened on its own, the file is an image and nothing else.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    return response


@require_safe
def favicon(request):
    """/favicon.ico, which browsers ask for by themselves: the workspace's icon when it has one,
    else the product's (also on the public site and on a suspended workspace)."""
    branding = branding_for_request(request)
    return redirect(branding.favicon_url or static("favicon.ico"))
