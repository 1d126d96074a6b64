"""Headless Chromium at phone width rings up a sale on the POS of a workspace of its own: a scanned
barcode and a searched product, the change due shown live, the receipt, then the sale in the list."""

from decimal import Decimal

import pytest

from accounts.models import User
from inventory.models import Location, Product, Sale
from inventory.services import stock_receive
from tenants.models import Tenant
from tenants.services import tenant_create
from tests.conftest import PASSWORD, in_schema

SLUG = "pos-counter"
BARCODE = "7791234567898"


@pytest.fixture
def counter(workspaces, django_db_blocker):
    """A committed workspace with one store, two products and stock (dropped at the end).

    Read and written before the browser starts: Playwright's event loop forbids the ORM afterwards.
    """
    with django_db_blocker.unblock():
        leftover = Tenant.objects.filter(slug=SLUG).first()
        if leftover is not None:
            leftover.delete(force_drop=True)
        tenant = tenant_create(
            slug=SLUG, name="Kiosco Browser", owner_email="owner@pos-counter.test", owner_password=PASSWORD
        )
        try:
            with in_schema(tenant):
                owner = User.objects.get(email="owner@pos-counter.test")
                store = Location.objects.create(name="Mostrador")
                alfajor = Product.objects.create(
                    sku="ALF-1",
                    name="Alfajor triple",
                    barcode=BARCODE,
                    sale_price=Decimal("1500"),
                    cost=Decimal("800"),
                )
                yerba = Product.objects.create(
                    sku="YER-500", name="Yerba mate 500 g", sale_price=Decimal("3200"), cost=Decimal("2000")
                )
                for product in (alfajor, yerba):
                    stock_receive(
                        product=product, location=store, quantity=20, unit_cost=product.cost, user=owner
                    )
            yield {"tenant": tenant, "store": store, "alfajor": alfajor, "yerba": yerba}
            with in_schema(tenant):
                sales = list(Sale.objects.values_list("number", "total", "change_due"))
            assert sales == [(1, Decimal("6200.00"), Decimal("3800.00"))]
        finally:
            tenant.delete(force_drop=True)


def test_a_cashier_rings_up_a_sale_at_phone_width(counter, live_server_url, browser):
    base = live_server_url.format(host=f"{SLUG}.localhost")
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(base + "/")
    page.fill("input[name=login]", "owner@pos-counter.test")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=active-products]")

    page.goto(base + "/pos/")
    search = page.locator("[data-testid=pos-search]")
    # A scanner types the barcode and Enter: the product goes straight onto the ticket.
    search.fill(BARCODE)
    search.press("Enter")
    page.wait_for_selector("[data-testid=pos-line]")
    # Typing a name lists matches; a tap adds one.
    search.fill("yerba")
    page.locator("[data-testid=pos-result]").first.click()
    page.wait_for_function("document.querySelectorAll('[data-testid=pos-line]').length === 2")
    page.locator(".pos-qty").first.fill("2")
    page.fill("#pos-tendered", "10000")
    assert "6.200" in page.locator("[data-testid=pos-total]").inner_text()
    assert "3.800" in page.locator("[data-testid=pos-change]").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing sticks out sideways

    page.click("[data-testid=pos-submit]")
    page.wait_for_selector("[data-testid=receipt]")
    assert "Kiosco Browser" in page.locator("[data-testid=receipt]").inner_text()
    assert "6.200" in page.locator("[data-testid=receipt-total]").inner_text()
    assert "3.800" in page.locator("[data-testid=receipt-change]").inner_text()

    page.goto(base + "/sales/?q=1")
    row = page.locator("[data-testid=sale-row][data-number='1']")
    assert row.count() == 1
    assert "6.200" in row.inner_text()

    # The dashboard counts it, draws it, and fits the phone too.
    page.goto(base + "/")
    assert page.locator("[data-testid=sales-count]").inner_text() == "1"
    assert page.locator("[data-testid=sales-chart] rect").count() == 30
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
