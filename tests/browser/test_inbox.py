"""Issue 20 at phone width: a customer's WhatsApp message waits in the inbox with its unread badge;
staff open it, answer inside the 24-hour window, and the reply is queued for the Graph API."""

import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from django.db import connection

from accounts.models import User
from accounts.services import user_create
from messaging.graph import transport_use
from messaging.models import Message
from messaging.services import account_connect, inbound_store
from tenants.models import Tenant
from tenants.services import tenant_create
from tests.conftest import PASSWORD, in_schema
from tests.messaging.conftest import FakeGraph

SLUG = "wa-bandeja"
STAFF = "caja@wa-bandeja.test"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def shop(workspaces, django_db_blocker):
    with django_db_blocker.unblock():
        leftover = Tenant.objects.filter(slug=SLUG).first()
        if leftover is not None:
            leftover.delete(force_drop=True)
        tenant = tenant_create(
            slug=SLUG, name="Panadería Bandeja", owner_email=f"owner@{SLUG}.test", owner_password=PASSWORD,
            country="CO", currency="COP", time_zone="America/Bogota", plan_code="profesional",
        )  # fmt: skip
        try:
            with in_schema(tenant), transport_use(httpx.MockTransport(FakeGraph())):
                owner = User.objects.get(email=f"owner@{SLUG}.test")
                user_create(email=STAFF, password=PASSWORD, role=User.Role.STAFF)
                account_connect(
                    phone_number_id="106540352242999",
                    business_account_id="102290129340398",
                    access_token="good-token",
                    user=owner,
                )
                inbound_store(
                    raw={
                        "from": "573001112233",
                        "id": "wamid.BANDEJA0001",
                        "timestamp": str(int(time.time()) - 60),
                        "type": "text",
                        "text": {"body": "¿Tienen pan de bono para mañana?"},
                    },
                    contact_name="Laura Gómez",
                )
            yield tenant
        finally:
            tenant.delete(force_drop=True)


def _read_in_a_thread(read, tenant, django_db_blocker):
    """Playwright runs an event loop in the test's thread, where Django refuses database calls."""
    with ThreadPoolExecutor(max_workers=1) as pool:

        def run():
            with django_db_blocker.unblock(), in_schema(tenant):
                try:
                    return read()
                finally:
                    connection.close()

        return pool.submit(run).result()


def test_staff_answer_a_customer_from_the_inbox_at_phone_width(
    shop, live_server_url, browser, django_db_blocker
):
    base = live_server_url.format(host=f"{SLUG}.localhost")
    page = browser.new_context(locale="es-CO", viewport=PHONE).new_page()
    page.goto(base + "/inbox/")
    page.fill("input[name=login]", STAFF)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    row = page.locator("[data-testid=conversation-row]", has_text="Laura Gómez")
    row.wait_for()
    assert row.locator("[data-testid=unread]").inner_text() == "1"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    row.locator("a").first.click()
    page.wait_for_selector("[data-testid=messages]")
    assert "¿Tienen pan de bono para mañana?" in page.text_content("[data-testid=messages]")
    page.fill("[data-testid=reply-form] textarea[name=body]", "¡Sí! Desde las 7:00. ¿Cuántos te separamos?")
    page.click("[data-testid=reply-form] button[type=submit]")
    page.wait_for_selector("[data-testid=message][data-direction=out]")
    assert "¿Cuántos te separamos?" in page.text_content("[data-testid=message][data-direction=out]")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    replies = _read_in_a_thread(
        lambda: list(Message.objects.filter(direction="out").values_list("body", "author__email")),
        shop,
        django_db_blocker,
    )
    assert replies == [("¡Sí! Desde las 7:00. ¿Cuántos te separamos?", STAFF)]
