"""Small helpers about the HTTP request, shared by every app."""

from django.http import Http404


def client_ip(request) -> str | None:
    """The client's address as Django sees it (the proxy sets REMOTE_ADDR via its header)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


BIGINT_MAX = 2**63 - 1


def id_or_404(raw) -> int:
    """An id typed into a form or a query string, or Http404 when it is not one (letters, a
    number no table can hold, nothing): a malformed id is "not found", never a server error."""
    text = str(raw or "").strip()
    if not text.isascii() or not text.isdigit() or not 0 < int(text) <= BIGINT_MAX:
        raise Http404("no such id")
    return int(text)
