"""Headless Chromium (Debian's) driven by Playwright against gunicorn: sign in to demo-shop."""

import pytest

from demo.seed import DEMO_WORKSPACES, demo_password
from inventory.models import Product
from tests.conftest import in_schema


@pytest.fixture
def demo_shop_active_products(demo_platform, django_db_blocker) -> int:
    # read before the browser starts: Playwright's event loop forbids the ORM afterwards
    with django_db_blocker.unblock(), in_schema(demo_platform["demo-shop"]):
        return Product.objects.filter(is_active=True).count()


def test_owner_signs_in_to_demo_shop_and_sees_the_home_in_spanish(
    demo_shop_active_products, live_server_url, browser
):
    shop = DEMO_WORKSPACES[0]
    page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone at the counter

    page.goto(live_server_url.format(host="demo-shop.localhost") + "/")
    assert "/accounts/login/" in page.url
    page.fill("input[name=login]", shop.owner_email)
    page.fill("input[name=password]", demo_password())
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=active-products]")

    assert page.locator("html").get_attribute("lang") == "es"
    assert page.locator("h1").inner_text().startswith("Te damos la bienvenida")
    assert page.locator("[data-testid=active-products]").inner_text() == str(demo_shop_active_products)
    assert "Productos activos" in page.content()
    assert "Almacén Demo" in page.title()
