"""Issue 19 at phone width: a buyer orders on /pedir/ (pay on collection), the board shows the order
without reloading, staff move it to delivered, and the sale and the stock show it."""

import hashlib
import http.client
import json
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from urllib.parse import parse_qs, urlparse

import pytest
from django.db import connection

from accounts.models import User
from accounts.services import user_create
from inventory.models import Location, Product, Sale, StockLevel
from inventory.services import stock_receive
from orders.models import MenuItem, Order
from payments.models import Provider
from payments.services import connection_save
from tenants.models import Tenant
from tenants.services import tenant_create
from tests.conftest import PASSWORD, in_schema
from tests.payments.conftest import WOMPI_EVENTS, WOMPI_INTEGRITY, WOMPI_PRIVATE, WOMPI_PUBLIC

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


def _http(method: str, live_server_url: str, host: str, path: str, *, body=None, headers=None):
    """One request to the live server as ``host`` (the browser resolves *.localhost; this does not
    need to), without following redirects."""
    address = urlparse(live_server_url.format(host="127.0.0.1"))
    client = http.client.HTTPConnection(address.hostname, address.port, timeout=20)
    client.request(method, path, body=body, headers={"Host": f"{host}:{address.port}", **(headers or {})})
    response = client.getresponse()
    response.read()
    client.close()
    return response


def test_a_buyer_pays_online_with_wompi_and_the_board_shows_it_paid(
    cafe, live_server_url, browser, django_db_blocker
):
    """The business takes Wompi: the buyer's status page sends to Wompi's checkout; Wompi's signed
    approval (the documented event, posted to the platform's endpoint) marks the order paid on the
    board without a reload; staff deliver it and the sale records the online payment."""
    tenant, store, product = cafe

    def connect_wompi() -> str:
        wompi = connection_save(
            provider=Provider.WOMPI,
            data={
                "public_key": WOMPI_PUBLIC,
                "private_key": WOMPI_PRIVATE,
                "events_secret": WOMPI_EVENTS,
                "integrity_secret": WOMPI_INTEGRITY,
            },
            user=User.objects.get(email=f"owner@{SLUG}.test"),
        )
        return f"{SLUG}.{wompi.route_token}"

    route = _read_in_a_thread(connect_wompi, tenant, django_db_blocker)
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
    assert "Paga en línea" in buyer.text_content("main")
    buyer.locator("[data-testid=menu-item]", has_text="Pan de bono").locator("button[data-step='1']").click()
    buyer.fill("input[name=customer_name]", "Sofía Lara")
    buyer.fill("input[name=customer_phone]", "310 555 1234")
    buyer.click("[data-testid=place-order]")
    buyer.wait_for_selector("[data-testid=pay-online]")
    # The button leads to Wompi's Web Checkout (not reachable here): read where it sends the buyer.
    go = _http(
        "GET", live_server_url, f"{SLUG}.localhost", buyer.get_attribute("[data-testid=pay-online]", "href")
    )
    checkout = parse_qs(urlparse(go.getheader("Location")).query)
    assert go.status == 302 and checkout["public-key"] == [WOMPI_PUBLIC]
    assert checkout["amount-in-cents"] == ["350000"]

    # Wompi approves: its signed event reaches the platform's endpoint on the bare domain.
    now = int(time.time())
    checksum = hashlib.sha256(f"1234-1610641025-49201APPROVED350000{now}{WOMPI_EVENTS}".encode()).hexdigest()
    event = {
        "event": "transaction.updated",
        "data": {
            "transaction": {
                "id": "1234-1610641025-49201",
                "amount_in_cents": 350000,
                "reference": checkout["reference"][0],
                "customer_email": "",
                "currency": "COP",
                "payment_method_type": "NEQUI",
                "redirect_url": base,
                "status": "APPROVED",
            }
        },
        "environment": "test",
        "signature": {
            "properties": ["transaction.id", "transaction.status", "transaction.amount_in_cents"],
            "checksum": checksum,
        },
        "timestamp": now,
        "sent_at": "2026-12-02T15:01:05.000Z",
    }
    hook = _http(
        "POST",
        live_server_url,
        "localhost",
        f"/hooks/wompi/{route}/",
        body=json.dumps(event),
        headers={"Content-Type": "application/json", "X-Event-Checksum": checksum},
    )
    assert hook.status == 200, hook.read()

    card = counter.locator("[data-testid=board-card][data-number='1']")
    counter.locator("[data-testid=board-card][data-number='1'] .pay-paid").wait_for(timeout=20_000)
    assert counter.evaluate("window.notReloaded") is True
    counter.click("[data-testid=board-card][data-number='1'] [data-testid=to-accepted]")
    counter.click("[data-testid=board-card][data-number='1'] [data-testid=to-ready]")
    assert card.locator("select[name=payment_method]").count() == 0  # nothing to collect
    counter.click("[data-testid=board-card][data-number='1'] [data-testid=to-delivered]")
    counter.wait_for_selector(".message-success")

    order, sale = _read_in_a_thread(
        lambda: (Order.objects.get(), Sale.objects.get()), tenant, django_db_blocker
    )
    assert order.payment_status == Order.PaymentStatus.PAID and order.sale_id == sale.pk
    assert sale.total == Decimal("3500.00") and sale.payment_method == "other"
