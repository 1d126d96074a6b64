"""Issue 13, item 13: /stock/, /team/ and /audit/ fit a 390 px phone without sideways scrolling,
with real content in them (long product names, several members, audit entries)."""

from decimal import Decimal

import pytest

from accounts.models import User
from accounts.services import user_create
from inventory.models import Location, Product
from inventory.services import stock_adjust, stock_receive
from tenants.models import Tenant
from tenants.services import tenant_create
from tests.conftest import PASSWORD, in_schema

SLUG = "tienda-movil"
OWNER = "owner@tienda-movil.test"


@pytest.fixture
def shop(workspaces, django_db_blocker):
    with django_db_blocker.unblock():
        leftover = Tenant.objects.filter(slug=SLUG).first()
        if leftover is not None:
            leftover.delete(force_drop=True)
        tenant = tenant_create(slug=SLUG, name="Tienda Móvil", owner_email=OWNER, owner_password=PASSWORD)
        try:
            with in_schema(tenant):
                owner = User.objects.get(email=OWNER)
                store = Location.objects.create(name="Sucursal Centro Comercial Andino")
                for n in range(5):
                    product = Product.objects.create(
                        sku=f"LARGO-{n:05d}-XL",
                        name=f"Chocolate de mesa con canela y clavos presentación familiar {n}",
                        sale_price=Decimal("12900"),
                        cost=Decimal("8000"),
                    )
                    stock_receive(
                        product=product, location=store, quantity=46, unit_cost=product.cost, user=owner
                    )
                    stock_adjust(
                        product=product,
                        location=store,
                        quantity=Decimal("-1"),
                        reason="Rotura en góndola",
                        user=owner,
                    )
                for name in ("cajera.principal.turno.manana", "administrador.general.sucursal"):
                    user_create(
                        email=f"{name}@tienda-movil-ejemplo.test", password=PASSWORD, role=User.Role.STAFF
                    )
            yield tenant
        finally:
            tenant.delete(force_drop=True)


def test_stock_team_and_audit_fit_a_phone(shop, live_server_url, browser):
    base = live_server_url.format(host=f"{SLUG}.localhost")
    context = browser.new_context(locale="es-CO", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(base + "/")
    page.fill("input[name=login]", OWNER)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("main")

    widths = {}
    for path in ("/stock/", "/team/", "/audit/"):
        page.goto(base + path)
        widths[path] = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert widths == {"/stock/": 390, "/team/": 390, "/audit/": 390}
