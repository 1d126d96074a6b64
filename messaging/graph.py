"""A thin WhatsApp Cloud API (Graph API) client on httpx.

Why not pywa: pywa builds one client per number and wants to own the webhook routes and handlers
of a web framework; here one platform webhook serves every workspace's number (routed by
phone-number id, in the workspace's schema) and each send runs in a Celery task with that
workspace's token. We only need four calls (read a number, send text, interactive and template),
so a small client on httpx keeps the seam where tests need it: the HTTP transport
(``transport_use`` puts an ``httpx.MockTransport`` there; nothing else is replaced).
"""

import contextlib
from dataclasses import dataclass

import httpx
from django.conf import settings

from messaging.exceptions import GraphError

TIMEOUT = httpx.Timeout(10.0, connect=5.0)
_transport: httpx.BaseTransport | None = None


@contextlib.contextmanager
def transport_use(transport: httpx.BaseTransport):
    """Send every Graph call of this process through ``transport`` (tests, benchmarks, demos)."""
    global _transport
    previous, _transport = _transport, transport
    try:
        yield transport
    finally:
        _transport = previous


@dataclass(frozen=True)
class NumberInfo:
    display_phone_number: str
    verified_name: str


class GraphClient:
    """One number's client: ``phone_number_id`` and its access token."""

    def __init__(self, *, phone_number_id: str, access_token: str, base_url: str | None = None):
        self.phone_number_id = phone_number_id
        self._client = httpx.Client(
            base_url=(base_url or settings.WHATSAPP_GRAPH_URL).rstrip("/") + "/",
            headers={"Authorization": f"Bearer {access_token}"},
            timeout=TIMEOUT,
            transport=_transport,
        )

    def close(self):
        self._client.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _call(self, method: str, path: str, **kwargs) -> dict:
        try:
            response = self._client.request(method, path, **kwargs)
        except httpx.HTTPError as error:
            raise GraphError(str(error) or error.__class__.__name__, retry=True) from error
        try:
            data = response.json()
        except ValueError:
            data = {}
        if response.status_code >= 400:
            error = data.get("error", {}) if isinstance(data, dict) else {}
            raise GraphError(
                error.get("message") or f"HTTP {response.status_code}",
                code=str(error.get("code", response.status_code)),
                retry=response.status_code >= 500 or response.status_code == 429,
            )
        return data

    def number_info(self) -> NumberInfo:
        """GET /{phone-number-id}: the number as Meta knows it (checks the id and the token)."""
        data = self._call(
            "GET", self.phone_number_id, params={"fields": "display_phone_number,verified_name"}
        )
        return NumberInfo(data.get("display_phone_number", ""), data.get("verified_name", ""))

    def _send(self, to: str, kind: str, content: dict) -> str:
        body = {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": to,
            "type": kind,
            kind: content,
        }
        data = self._call("POST", f"{self.phone_number_id}/messages", json=body)
        try:
            return data["messages"][0]["id"]
        except (KeyError, IndexError, TypeError) as error:
            raise GraphError("no message id in the answer") from error

    def send_text(self, *, to: str, body: str) -> str:
        return self._send(to, "text", {"preview_url": False, "body": body})

    def send_interactive(self, *, to: str, interactive: dict) -> str:
        return self._send(to, "interactive", interactive)

    def send_template(self, *, to: str, name: str, language: str, params: list[str]) -> str:
        content = {"name": name, "language": {"code": language}}
        if params:
            content["components"] = [
                {"type": "body", "parameters": [{"type": "text", "text": str(p)} for p in params]}
            ]
        return self._send(to, "template", content)
