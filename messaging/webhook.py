"""The one platform webhook (bare domain, /whatsapp/webhook/): Meta's verification challenge, the
X-Hub-Signature-256 check, and each entry routed by phone-number id to its workspace's schema.

An entry for a number no open workspace connected is dropped; an entry is never processed outside
the schema of the workspace that owns its number (``whatsapp_routes``), and that workspace's own
connected number must match too.
"""

import hashlib
import hmac
import json
import logging

from django.conf import settings
from django.http import HttpResponse, HttpResponseForbidden, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from django_tenants.utils import tenant_context

from messaging.inbound import webhook_value_process
from messaging.selectors import account_get
from whatsapp_routes.selectors import tenant_for_phone_number_id

logger = logging.getLogger(__name__)
MAX_BODY = 3 * 1024 * 1024


def signature_valid(body: bytes, header: str, secret: str) -> bool:
    """``header`` is "sha256=" + the HMAC-SHA256 of the raw body with the app secret."""
    if not secret or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header.removeprefix("sha256=").strip().lower())


def _verify(request) -> HttpResponse:
    token = settings.WHATSAPP_VERIFY_TOKEN
    given = request.GET.get("hub.verify_token", "")
    if (
        request.GET.get("hub.mode") == "subscribe"
        and token
        and hmac.compare_digest(token.encode(), given.encode())
    ):
        return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")
    return HttpResponseForbidden("verification refused")


def _dicts(items) -> list[dict]:
    return [item for item in (items if isinstance(items, list) else []) if isinstance(item, dict)]


def process_payload(payload: dict) -> int:
    """Route every change of every entry to its workspace; the number of messages stored."""
    stored = 0
    if not isinstance(payload, dict) or payload.get("object") != "whatsapp_business_account":
        return 0
    for entry in _dicts(payload.get("entry")):
        for change in _dicts(entry.get("changes")):
            value = change.get("value")
            if change.get("field") != "messages" or not isinstance(value, dict):
                continue
            phone_number_id = str((value.get("metadata") or {}).get("phone_number_id", ""))
            tenant = tenant_for_phone_number_id(phone_number_id)
            if tenant is None:
                logger.info("whatsapp webhook: no open workspace for phone number id %s", phone_number_id)
                continue
            with tenant_context(tenant):
                account = account_get()
                if account is None or account.phone_number_id != phone_number_id:
                    continue
                stored += len(webhook_value_process(value=value))
    return stored


@csrf_exempt
@require_http_methods(["GET", "POST"])
def whatsapp_webhook(request):
    if request.method == "GET":
        return _verify(request)
    body = request.body
    if len(body) > MAX_BODY:
        return HttpResponse(status=413)
    if not signature_valid(
        body, request.headers.get("X-Hub-Signature-256", ""), settings.WHATSAPP_APP_SECRET
    ):
        return HttpResponseForbidden("bad signature")
    try:
        payload = json.loads(body)
    except ValueError:
        return HttpResponse(status=400)
    stored = process_payload(payload)
    return JsonResponse({"stored": stored})
