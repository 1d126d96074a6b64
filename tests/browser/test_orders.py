"""Issue 19 at phone width: a buyer orders on /pedir/ (pay on collection), the board shows the order
without reloading, staff move it to delivered, and the sale and the stock show it."""

from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import connection

from accounts.models import User
from accounts.services import user_create
from inventory.models import Location, Product, Sale, StockLevel
from inventory.services import stock_receive
from orders.models import MenuItem, Order
from tenants.models import Tenant
from tenants.services import tenant_create
from tests.conftest import PASSWORD, in_schema

SLUG = "cafe-pedidos"
BARISTA = "barista@cafe-pedidos.test"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def cafe(workspaces, django_db_blocker):
    with django_db_blocker.unblock():
        leftover = Tenant.objects.filter(slug=SLUG).first()
        if leftover is not None:
            leftover.delete(force_drop=True)
        tenant = tenant_create(
            slug=SLUG,
            name="Café Pedidos",
            owner_email=f"owner@{SLUG}.test",
            owner_password=PASSWORD,
            country="CO",
            currency="COP",
            time_zone="America/Bogota",
        )
        try:
            with in_schema(tenant):
                owner = User.objects.get(email=f"owner@{SLUG}.test")
                store = Location.objects.create(name="Barra Centro", address="Cra 7 # 45-10")
                product = Product.objects.create(sku="PAN-1", name="Pan de bono", sale_price=Decimal("3500"))
                stock_receive(
                    product=product, location=store, quantity=10, unit_cost=Decimal(1200), user=owner
                )
                MenuItem.objects.create(product=product)
                user_create(email=BARISTA, password=PASSWORD, role=User.Role.STAFF)
            yield tenant, store, product
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


def test_a_buyer_orders_and_the_counter_delivers_it(cafe, live_server_url, browser, django_db_blocker):
    tenant, store, product = cafe
    base = live_server_url.format(host=f"{SLUG}.localhost")

    counter = browser.new_context(locale="es-CO", viewport=PHONE).new_page()
    counter.goto(base + "/orders/")
    counter.fill("input[name=login]", BARISTA)
    counter.fill("input[name=password]", PASSWORD)
    counter.click("button[type=submit]")
    counter.wait_for_selector("[data-testid=board]")
    counter.evaluate("window.notReloaded = true")

    buyer = browser.new_context(locale="es-CO", viewport=PHONE).new_page()
    buyer.goto(base + "/pedir/")
    item = buyer.locator("[data-testid=menu-item]", has_text="Pan de bono")
    item.locator("button[data-step='1']").click()
    item.locator("button[data-step='1']").click()
    assert "7000" in buyer.text_content("[data-cart-total]").replace(".", "").replace("\xa0", "")
    assert buyer.evaluate("document.documentElement.scrollWidth") == PHONE["width"]
    buyer.fill("input[name=customer_name]", "Sofía Lara")
    buyer.fill("input[name=customer_phone]", "310 555 1234")
    buyer.click("[data-testid=place-order]")
    buyer.wait_for_selector("[data-testid=order-status]")
    assert "Pedido 1" in buyer.text_content("h1")

    card = counter.locator("[data-testid=board-card][data-number='1']")
    card.wait_for(timeout=20_000)  # the poll brings it in
    assert counter.evaluate("window.notReloaded") is True
    assert "Sofía Lara" in card.text_content()
    assert counter.evaluate("document.documentElement.scrollWidth") == PHONE["width"]

    counter.click("[data-testid=board-card][data-number='1'] [data-testid=to-accepted]")
    counter.click("[data-testid=board-card][data-number='1'] [data-testid=to-ready]")
    counter.select_option("[data-testid=board-card][data-number='1'] select[name=payment_method]", "cash")
    counter.click("[data-testid=board-card][data-number='1'] [data-testid=to-delivered]")
    counter.wait_for_selector(".message-success")

    order, level, sale = _read_in_a_thread(
        lambda: (
            Order.objects.get(),
            StockLevel.objects.get(product=product, location=store),
            Sale.objects.get(),
        ),
        tenant,
        django_db_blocker,
    )
    assert order.status == Order.Status.DELIVERED and order.sale_id == sale.pk
    assert sale.total == Decimal("7000.00") and sale.payment_method == "cash"
    assert level.on_hand == 8 and level.reserved == 0

    counter.goto(base + f"/orders/{order.pk}/")
    counter.click("[data-testid=order-sale]")
    assert "Pan de bono" in counter.text_content("main")
    counter.goto(base + "/stock/")
    assert "Pan de bono" in counter.text_content("main")
