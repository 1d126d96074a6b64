"""Error pages that every URLconf uses (handler500)."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader

RETRY_AFTER_S = "30"


def _wants_json(request) -> bool:
    return request.path.startswith(("/api/", "/readyz")) or "application/json" in request.headers.get(
        "Accept", ""
    )


def server_error(request):
    """500, except when the database could not be reached: 503 with Retry-After (JSON on the API),
    so clients retry and people read that nothing was lost. Renders without a request context:
    context processors would need the database that just failed."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        if _wants_json(request):
            response = JsonResponse(
                {"detail": "The database is unavailable; try again shortly.", "code": "service_unavailable"},
                status=503,
            )
        else:
            response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = RETRY_AFTER_S
        return response
    if _wants_json(request):
        return JsonResponse({"detail": "Server error.", "code": "server_error"}, status=500)
    return HttpResponseServerError(loader.get_template("500.html").render())
