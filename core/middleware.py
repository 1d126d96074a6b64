"""Request guards that apply to every app."""

from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _


class RefuseNulBytesMiddleware:
    """Answer 400 to a query string or form field holding a NUL character.

    PostgreSQL text cannot hold NUL: a search for "%00" would otherwise reach the database and fail
    there as a server error. No legitimate form or filter sends one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request):
            message = _("The request holds a character that cannot be stored (NUL).")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message, "code": "invalid_character"}, status=400)
            return HttpResponseBadRequest(message)
        return self.get_response(request)

    @staticmethod
    def _has_nul(request) -> bool:
        if "\x00" in request.path:
            return True
        for values in request.GET.lists():
            if any("\x00" in value for value in values[1]) or "\x00" in values[0]:
                return True
        # Only url-encoded forms: parsing a multipart body here would read every upload before
        # the view can set its own upload handlers (the logo upload stops reading at 2 MB).
        if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
            for key, values in request.POST.lists():
                if "\x00" in key or any("\x00" in value for value in values):
                    return True
        return False


class PrivateCacheMiddleware:
    """``Cache-Control: private, no-store`` on every answer to a signed-in user (pages, exports,
    receipts): a shared computer's back button or a proxy must not keep a business's figures.
    Answers that set their own caching (immutable logo files) keep it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "private, no-store"
        return response
