"""The API served by gunicorn on committed data, in a workspace of its own (dropped at the end):
concurrent retries of one sale, and schemathesis against the live OpenAPI schema."""

import json
import subprocess
import threading
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
import requests

from accounts.models import User
from api.models import ApiToken
from api.services import api_token_create
from inventory.models import Sale, StockLevel
from inventory.services import product_create, stock_receive
from inventory.services.catalogue import location_create
from plans.models import Plan
from tenants.models import Tenant
from tenants.services import tenant_create
from tests.conftest import PASSWORD, ROOT, host_of, in_schema

SLUG = "api-live"


@pytest.fixture(scope="module")
def live_workspace(django_db_setup, django_db_blocker, workspaces):
    """A committed workspace on a plan of its own (API access, a rate no test reaches)."""
    with django_db_blocker.unblock():
        Tenant.objects.filter(slug=SLUG).first() and Tenant.objects.get(slug=SLUG).delete(force_drop=True)
        plan, _ = Plan.objects.update_or_create(
            code="api-test",
            defaults={
                "name": "API test",
                "has_api": True,
                "api_requests_per_minute": 1_000_000,
                "is_public": False,
            },
        )
        tenant = tenant_create(
            slug=SLUG,
            name="API Live",
            owner_email="owner@api-live.test",
            owner_password=PASSWORD,
            plan_code="api-test",
        )
        Tenant.objects.filter(pk=tenant.pk).update(plan=plan, status=Tenant.Status.ACTIVE)
        tenant = Tenant.objects.get(pk=tenant.pk)
        with in_schema(tenant):
            owner = User.objects.get(email="owner@api-live.test")
            token, raw = api_token_create(user=owner, name="live")
            # An id schemathesis does not guess: its DELETE /tokens/{id}/ must not revoke this token.
            ApiToken.objects.filter(pk=token.pk).update(id=2**62 + 4242)
            store = location_create(name="Centro")
            product = product_create(sku="LIVE-1", name="Yerba", sale_price=Decimal("100"))
            stock_receive(product=product, location=store, quantity=1000, user=owner)
    yield {"tenant": tenant, "token": raw, "store": store, "product": product}
    with django_db_blocker.unblock():
        tenant.delete(force_drop=True)
        Plan.objects.filter(code="api-test").delete()


def _headers(workspace) -> dict:
    return {"Host": host_of(workspace["tenant"]), "Authorization": f"Bearer {workspace['token']}"}


@pytest.mark.timeout(120)
def test_the_same_sale_sent_concurrently_is_recorded_once(live_workspace, live_server_url, django_db_blocker):
    base = live_server_url.format(host="127.0.0.1")
    body = {
        "location": live_workspace["store"].pk,
        "lines": [{"product": live_workspace["product"].pk, "quantity": "1"}],
    }
    key = f"pos-{uuid.uuid4().hex}"
    barrier = threading.Barrier(6)
    answers = []

    def send():
        barrier.wait()
        response = requests.post(
            f"{base}/api/v1/sales/",
            json=body,
            headers={**_headers(live_workspace), "Idempotency-Key": key},
            timeout=30,
        )
        answers.append((response.status_code, response.json()))

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [code for code, _ in answers] == [201] * 6
    assert len({json.dumps(payload, sort_keys=True) for _, payload in answers}) == 1
    with django_db_blocker.unblock(), in_schema(live_workspace["tenant"]):
        assert Sale.objects.count() == 1
        level = StockLevel.objects.get(product=live_workspace["product"], location=live_workspace["store"])
        assert level.on_hand == Decimal(999)


@pytest.mark.timeout(600)
def test_schemathesis_finds_no_server_error_and_no_response_off_the_schema(
    live_workspace, live_server_url, tmp_path
):
    base = live_server_url.format(host="127.0.0.1")
    headers = _headers(live_workspace)
    command = [
        str(ROOT / ".venv" / "bin" / "st"),
        "run",
        f"{base}/api/schema/?format=json",
        "--url",
        base,
        "--checks",
        "not_a_server_error,response_schema_conformance,content_type_conformance",
        # Every operation through its coverage phase, then 8 fuzzed cases each: about 80 operations
        # now, and the cold suite must stay within its ten minutes on two cores.
        "--max-examples",
        "8",
        "--phases",
        "examples,coverage,fuzzing",
        # One worker: with two threads, hypothesis' lambda descriptions (ast.parse) crash CPython
        # 3.11 now and then ("AST constructor recursion depth mismatch"), failing the run for nothing.
        "--workers",
        "1",
        "--seed",
        "2026",
        "--no-color",
        "--request-timeout",
        "20",
    ]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=560)
    output = result.stdout + result.stderr
    (tmp_path / "schemathesis.log").write_text(output)
    Path("/tmp/schemathesis-api.log").write_text(output)
    assert result.returncode == 0, output[-6000:]
    assert "No issues found" in output or "0 failures" in output or "passed" in output.lower(), output[-3000:]
