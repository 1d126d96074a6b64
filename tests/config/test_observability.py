"""What an operator reads: /metrics (protected; our counters by outcome, never by workspace),
JSON log lines with the workspace and the request id and no secret, Sentry events scrubbed."""

import io
import json
import logging
import logging.config
import re
from copy import deepcopy
from decimal import Decimal

import pytest
import sentry_sdk
from django.conf import settings
from sentry_sdk.transport import Transport

from accounts.models import User
from core.observability import sentry_init
from inventory.exceptions import InsufficientStock
from inventory.services import SaleLineInput, sale_create
from tests.conftest import in_schema
from tests.inventory.conftest import alpha, owner, product, stocked, store  # noqa: F401  (fixtures)

TOKEN = "metrics-token-for-the-test-0123456789"


def counter(text: str, name: str, **labels) -> float:
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    for line in text.splitlines():
        match = re.fullmatch(rf"{name}\{{(.*)\}} (\S+)", line)
        if match and ",".join(sorted(match.group(1).split(","))) == wanted:
            return float(match.group(2))
    return 0.0


def metrics_text(client) -> str:
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def metrics_token(settings):
    settings.METRICS_TOKEN = TOKEN


def test_metrics_are_refused_without_the_token_or_a_super_admin(client_for, workspaces, metrics_token):
    public = client_for(None)

    assert public.get("/metrics").status_code == 404
    assert public.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong-token").status_code == 404
    workspace_owner = client_for(workspaces.alpha)
    with in_schema(workspaces.alpha):
        owner_user = User.objects.get(email="owner@alpha.test")
        workspace_owner.force_login(owner_user, backend="django.contrib.auth.backends.ModelBackend")
    assert workspace_owner.get("/metrics").status_code == 404  # not served on a workspace at all


def test_sales_are_counted_by_outcome_and_never_by_workspace(
    client_for,
    workspaces,
    metrics_token,
    stocked,  # noqa: F811
    store,  # noqa: F811
    owner,  # noqa: F811
):
    client = client_for(None)
    before = metrics_text(client)

    with in_schema(workspaces.alpha):  # the metrics request left the connection on the public schema
        sale_create(location=store, seller=owner, lines=[SaleLineInput(stocked, Decimal("2"))])
        with pytest.raises(InsufficientStock):
            sale_create(location=store, seller=owner, lines=[SaleLineInput(stocked, Decimal("99"))])
    after = metrics_text(client)

    created = counter(after, "stockwise_sales_total", outcome="created")
    assert created - counter(before, "stockwise_sales_total", outcome="created") == 1
    assert (
        counter(after, "stockwise_sales_total", outcome="refused")
        - counter(before, "stockwise_sales_total", outcome="refused")
        == 1
    )
    # django-prometheus's own figures are there, and no series names a workspace.
    assert "django_http_requests_total_by_method_total" in after
    for tenant in (workspaces.alpha, workspaces.beta):
        assert tenant.schema_name not in after and tenant.slug not in after


@pytest.fixture
def json_log():
    """The settings' logging, with production's JSON formatter, written to a buffer."""
    stream = io.StringIO()
    config = deepcopy(settings.LOGGING)
    config["handlers"]["console"].update(formatter="json", stream=stream)
    logging.config.dictConfig(config)
    try:
        yield stream
    finally:
        logging.config.dictConfig(settings.LOGGING)


def test_json_logs_carry_workspace_and_request_id_and_never_a_secret(client_for, workspaces, json_log):
    client = client_for(workspaces.alpha)
    password, token = "Contrasena-Secreta-2026", "tok_9f8e7d6c5b4a39281726"

    response = client.get(
        f"/api/v1/products/?token={token}&q=harina",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_X_REQUEST_ID="req-test-0001",
    )
    logging.getLogger("tenants").warning("sign-in failed for password=%s token=%s", password, token)
    logging.getLogger("tenants").warning("retrying", extra={"password": password, "api_key": token})

    assert response.status_code in (401, 403)
    assert response["X-Request-ID"] == "req-test-0001"
    lines = [json.loads(line) for line in json_log.getvalue().splitlines() if line.strip()]
    assert lines, "nothing was logged"
    request_lines = [line for line in lines if line.get("request_id") == "req-test-0001"]
    assert request_lines and request_lines[0]["workspace"] == workspaces.alpha.schema_name
    assert {"time", "level", "logger", "message"} <= set(request_lines[0])
    text = json_log.getvalue()
    assert password not in text and token not in text
    assert "sign-in failed for password=[redacted] token=[redacted]" in text


class Recorder(Transport):
    """Sentry's transport, replaced: the events the SDK would send are kept here."""

    events: list = []

    def capture_envelope(self, envelope):
        for item in envelope.items:
            if item.type == "event":
                Recorder.events.append(item.payload.json)


def test_sentry_events_carry_no_personal_data_or_secret():
    Recorder.events = []
    # Built at run time: the event carries the source lines around the error, and they must not
    # be what holds the values looked for below.
    secret, token, email, address = (
        "-".join(["hunter2", "secret"]),
        "abc123" * 3,
        "@".join(["rosa", "example.com"]),
        ".".join(["203", "0", "113", "7"]),
    )
    assert sentry_init("https://public@o0.ingest.sentry.invalid/1", transport=Recorder)
    try:
        with sentry_sdk.new_scope() as scope:
            scope.set_user({"id": 7, "email": email, "ip_address": address})
            scope.set_extra("form", {"password": secret, "email": email})
            scope.set_context("request", {"url": f"https://x.test/?token={token}"})
            try:
                raise ValueError(f"refused: password={secret} for {email}")
            except ValueError:
                sentry_sdk.capture_exception()
        sentry_sdk.flush()
    finally:
        sentry_sdk.get_client().close()
        sentry_sdk.init()

    assert len(Recorder.events) == 1
    sent = json.dumps(Recorder.events[0])
    for value in (secret, token, email, address):
        assert value not in sent, value
    assert Recorder.events[0]["user"] == {"id": 7}
    assert "refused: password=[redacted] for [redacted]" in sent
