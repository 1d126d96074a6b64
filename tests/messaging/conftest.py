"""Fixtures of the WhatsApp tests: alpha connected to a number through the real Graph client, whose
HTTP transport is an httpx.MockTransport answering in the shapes of Meta's Cloud API; webhook
payloads as Meta documents them, signed locally with the app secret."""

import hashlib
import hmac
import itertools
import json

import httpx
import pytest

from messaging.graph import transport_use
from messaging.models import Message
from messaging.services import account_connect
from tests.academy.conftest import *  # noqa: F403  (alpha as an academy, its team, classes)
from tests.conftest import in_schema

APP_SECRET = "test-app-secret-0123456789"
VERIFY_TOKEN = "verify-me-please"
ALPHA_NUMBER_ID = "106540352242922"
BETA_NUMBER_ID = "209870001112223"
CUSTOMER_WA_ID = "573001234567"


class FakeGraph:
    """Meta's Graph API at the transport: records each request, answers like the Cloud API."""

    def __init__(self):
        self.requests: list[httpx.Request] = []
        self.ids = itertools.count(1)
        self.fail_with: tuple[int, dict] | None = None

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.fail_with is not None:
            status, body = self.fail_with
            return httpx.Response(status, json=body)
        if request.headers.get("Authorization") != "Bearer good-token":
            return httpx.Response(
                401,
                json={
                    "error": {"message": "Invalid OAuth access token.", "type": "OAuthException", "code": 190}
                },
            )
        path = request.url.path.rstrip("/").split("/")
        if request.method == "GET":
            return httpx.Response(
                200,
                json={
                    "display_phone_number": "+57 300 555 0101",
                    "verified_name": "Alpha SRL",
                    "id": path[-1],
                },
            )
        body = json.loads(request.content)
        return httpx.Response(
            200,
            json={
                "messaging_product": "whatsapp",
                "contacts": [{"input": body["to"], "wa_id": body["to"]}],
                "messages": [{"id": f"wamid.OUT{next(self.ids):06d}"}],
            },
        )

    def sent(self) -> list[dict]:
        return [json.loads(r.content) for r in self.requests if r.method == "POST"]


@pytest.fixture
def graph():
    fake = FakeGraph()
    with transport_use(httpx.MockTransport(fake)):
        yield fake


@pytest.fixture
def whatsapp_settings(settings):
    settings.WHATSAPP_APP_SECRET = APP_SECRET
    settings.WHATSAPP_VERIFY_TOKEN = VERIFY_TOKEN
    return settings


@pytest.fixture
def connected(alpha, owner, graph, whatsapp_settings):
    """alpha's number connected (and routed in the public table)."""
    return account_connect(
        phone_number_id=ALPHA_NUMBER_ID,
        business_account_id="102290129340398",
        access_token="good-token",
        user=owner,
    )


# --- Meta's webhook payloads (https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks) ---


def envelope(phone_number_id: str, value: dict) -> dict:
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550783881", "phone_number_id": phone_number_id},
        **value,
    }
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "102290129340398", "changes": [{"value": value, "field": "messages"}]}],
    }


def text_message(
    text: str,
    *,
    wamid: str,
    wa_id: str = CUSTOMER_WA_ID,
    name: str = "Laura Gómez",
    timestamp: int = 1_764_680_000,
    phone_number_id: str = ALPHA_NUMBER_ID,
) -> dict:
    return envelope(
        phone_number_id,
        {
            "contacts": [{"profile": {"name": name}, "wa_id": wa_id}],
            "messages": [
                {
                    "from": wa_id,
                    "id": wamid,
                    "timestamp": str(timestamp),
                    "type": "text",
                    "text": {"body": text},
                }
            ],
        },
    )


def interactive_reply(
    reply_id: str,
    title: str,
    *,
    wamid: str,
    kind: str = "list_reply",
    wa_id: str = CUSTOMER_WA_ID,
    timestamp: int = 1_764_680_100,
    phone_number_id: str = ALPHA_NUMBER_ID,
) -> dict:
    reply = {"id": reply_id, "title": title}
    if kind == "list_reply":
        reply["description"] = ""
    return envelope(
        phone_number_id,
        {
            "contacts": [{"profile": {"name": "Laura Gómez"}, "wa_id": wa_id}],
            "messages": [
                {
                    "context": {"from": "15550783881", "id": "wamid.OUT000001"},
                    "from": wa_id,
                    "id": wamid,
                    "timestamp": str(timestamp),
                    "type": "interactive",
                    "interactive": {"type": kind, kind: reply},
                }
            ],
        },
    )


def status_update(
    wamid: str,
    status: str,
    *,
    timestamp: int = 1_764_680_200,
    wa_id: str = CUSTOMER_WA_ID,
    phone_number_id: str = ALPHA_NUMBER_ID,
) -> dict:
    entry = {"id": wamid, "status": status, "timestamp": str(timestamp), "recipient_id": wa_id}
    if status == "failed":
        entry["errors"] = [{"code": 131047, "title": "Re-engagement message"}]
    else:
        entry["conversation"] = {"id": "CONVERSATION_ID", "origin": {"type": "service"}}
        entry["pricing"] = {"billable": True, "pricing_model": "CBP", "category": "service"}
    return envelope(phone_number_id, {"statuses": [entry]})


def sign(body: bytes, secret: str = APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def post_webhook(client, payload: dict, *, secret: str = APP_SECRET, signature: str | None = None):
    body = json.dumps(payload).encode()
    return client.post(
        "/whatsapp/webhook/",
        data=body,
        content_type="application/json",
        HTTP_X_HUB_SIGNATURE_256=signature if signature is not None else sign(body, secret),
    )


@pytest.fixture
def public_client(client_for):
    return client_for(None)


@pytest.fixture
def say(public_client, connected, workspaces):
    """say("hola") → Meta delivers it to the webhook; returns the assistant's reply queued in alpha."""
    counter = itertools.count(1)

    def send(text: str, **kwargs) -> Message | None:
        number = next(counter)
        payload = text_message(
            text, wamid=f"wamid.IN{number:04d}", timestamp=1_764_680_000 + number, **kwargs
        )
        response = post_webhook(public_client, payload)
        assert response.status_code == 200, response.content
        with in_schema(workspaces.alpha):
            return Message.objects.filter(direction="out").order_by("-pk").first()

    return send
