"""Headless Chromium (Debian's) driven by Playwright against gunicorn: sign in to demo-shop."""

import pytest
from playwright.sync_api import sync_playwright

from tenants.demo import DEMO_WORKSPACES, demo_password

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture
def browser():
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def test_owner_signs_in_to_demo_shop_and_sees_the_home_in_spanish(live_server_url, browser):
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
    assert page.locator("[data-testid=active-products]").inner_text() == str(len(shop.products))
    assert "Productos activos" in page.content()
    assert "Almacén Demo" in page.title()
