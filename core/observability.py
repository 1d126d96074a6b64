"""What an operator sees: the request id, JSON logs that carry it and the workspace, Sentry with
personal data scrubbed, and the Prometheus metrics page.

- Every request gets an id (``X-Request-ID`` from the proxy when it looks like one, else a new
  one), answered in the same header and put on every log line written while it runs.
- Logs (JSON in production, config/settings/production.py) carry ``workspace`` (the schema on
  the connection) and ``request_id``; ``SecretsFilter`` blanks passwords, tokens, keys, cookies and
  signatures wherever they appear: in the message, its arguments, or a query string.
- Sentry (``sentry_init``) only when SENTRY_DSN is set, with ``send_default_pii=False`` and
  ``sentry_before_send`` dropping cookies, headers that authenticate, form and JSON bodies and
  the user's address.
- ``/metrics`` (bare domain) answers the Prometheus registry to a bearer token
  (METRICS_TOKEN) or a signed-in super-admin, and 404 to anyone else.
"""

import contextvars
import hmac
import logging
import os
import re
import uuid

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpResponse
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest, multiprocess

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

SENSITIVE = re.compile(
    r"pass(word|wd)?|secret|token|api[_-]?key|authorization|cookie|session|signature|csrf|altcha|dsn",
    re.IGNORECASE,
)
# key=value in a query string, a form body or prose ("password=hunter2", "token: abc").
SENSITIVE_PAIR = re.compile(
    r"(?P<key>[\w-]*(?:pass(?:word|wd)?|secret|token|api[_-]?key|authorization|cookie|sessionid|signature|"
    r"csrf\w*|altcha)[\w-]*)(?P<sep>\s*[=:]\s*|%3D)(?P<value>(?:Bearer |Token |Basic )?[^\s&;,'\")]+)",
    re.IGNORECASE,
)
# Secrets that are recognisable by their shape whatever their name.
SECRET_SHAPES = re.compile(r"\b(?:sk|rk|pk|whsec)_(?:live|test)_[A-Za-z0-9]{8,}\b|\bBearer\s+[\w.~+/-]{8,}=*")
REDACTED = "[redacted]"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def redact(text: str) -> str:
    """``text`` with the values of sensitive keys and secret-shaped words blanked."""
    text = SENSITIVE_PAIR.sub(lambda m: f"{m.group('key')}{m.group('sep')}{REDACTED}", text)
    return SECRET_SHAPES.sub(REDACTED, text)


def _scrub(value, depth: int = 0, personal: bool = False):
    """``value`` with secrets blanked, in strings, dict values under sensitive keys and nested
    containers; with ``personal``, email addresses too (what leaves the process for Sentry)."""
    if depth > 6:
        return REDACTED
    if isinstance(value, str):
        value = redact(value)
        return EMAIL.sub(REDACTED, value) if personal else value
    if isinstance(value, dict):
        return {
            k: (REDACTED if SENSITIVE.search(str(k)) else _scrub(v, depth + 1, personal))
            for k, v in value.items()
        }
    if isinstance(value, (list, tuple)):
        return type(value)(_scrub(v, depth + 1, personal) for v in value)
    return value


# --- Request id and log records -----------------------------------------------------------------


class RequestIdMiddleware:
    """Give each request an id, answered in ``X-Request-ID`` and carried by its log lines."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request_id = given if REQUEST_ID_RE.match(given) else uuid.uuid4().hex
        request.request_id = request_id
        # Not reset on the way out: Django logs the response's status (django.request) after the
        # middleware returns, and that line must carry the id too. The next request sets its own.
        request_id_var.set(request_id)
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


class ContextFilter(logging.Filter):
    """Put the workspace (schema) and the request id on every record."""

    def filter(self, record):
        record.request_id = request_id_var.get() or "-"
        record.workspace = getattr(connection, "schema_name", "") or "-"
        return True


class SecretsFilter(logging.Filter):
    """Blank secrets in a record before any handler formats it.

    The message is rendered with its arguments and redacted once; the request Django's loggers
    attach (its repr holds the query string) becomes its method and path only.
    """

    def filter(self, record):
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to the handler's own error path
            return True
        record.msg, record.args = redact(message), ()
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            record.request = f"{getattr(request, 'method', '')} {request.path}"
        for name, value in list(vars(record).items()):
            if name in {"msg", "args", "exc_info", "exc_text", "stack_info"}:
                continue
            if SENSITIVE.search(name) and name not in {"request_id"}:
                setattr(record, name, REDACTED)
            elif isinstance(value, (str, dict, list, tuple)):
                setattr(record, name, _scrub(value))
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


# --- Sentry ---------------------------------------------------------------------------------------


def sentry_before_send(event: dict, hint: dict | None = None) -> dict:
    """Drop personal data and secrets from a Sentry event before it leaves the process."""
    request = event.get("request") or {}
    request.pop("cookies", None)
    request.pop("data", None)
    if "query_string" in request:
        request["query_string"] = redact(str(request["query_string"])) if request["query_string"] else ""
    if isinstance(request.get("headers"), dict):
        request["headers"] = {
            k: (REDACTED if SENSITIVE.search(k) or k.lower() in {"x-forwarded-for", "x-real-ip"} else v)
            for k, v in request["headers"].items()
        }
    request.pop("env", None)
    if request:
        event["request"] = request
    user = event.get("user")
    if user:
        event["user"] = {"id": user["id"]} if "id" in user else {}
    for key in ("extra", "contexts", "tags", "logentry", "message"):
        if event.get(key):
            event[key] = _scrub(event[key], personal=True)
    for breadcrumb in (event.get("breadcrumbs") or {}).get("values", []):
        for key in ("message", "data"):
            if breadcrumb.get(key):
                breadcrumb[key] = _scrub(breadcrumb[key], personal=True)
    for exception in (event.get("exception") or {}).get("values", []):
        if isinstance(exception.get("value"), str):
            exception["value"] = _scrub(exception["value"], personal=True)
        for frame in (exception.get("stacktrace") or {}).get("frames", []):
            frame.pop("vars", None)
    return event


def sentry_init(
    dsn: str, *, environment: str = "", release: str = "", traces_sample_rate: float = 0.0, transport=None
):
    """Start Sentry for Django and Celery, personal data off and scrubbed (nothing when no DSN).

    ``transport``: the SDK's own transport unless given (tests put a recorder there)."""
    if not dsn:
        return False
    # Local imports: sentry_sdk (and its integrations' hooks) load only where a DSN is set.
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        before_send=sentry_before_send,
        environment=environment or None,
        release=release or None,
        traces_sample_rate=traces_sample_rate,
        **({"transport": transport} if transport is not None else {}),
    )
    return True


# --- /metrics --------------------------------------------------------------------------------------


def _metrics_allowed(request) -> bool:
    token = getattr(settings, "METRICS_TOKEN", "")
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer ") and hmac.compare_digest(header[7:].strip(), token):
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.is_superuser)


def metrics_view(request):
    """The Prometheus registry (every process's, in multiprocess mode); 404 unless allowed."""
    if not _metrics_allowed(request):
        raise Http404
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    response = HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    return response
