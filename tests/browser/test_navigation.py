"""The menu at phone width: grouped by job, folded behind one button, and each role sees only the
groups it may use. In a committed workspace of its own (the browser signs in through gunicorn,
which records sign-ins), dropped at the end."""

import pytest

from accounts.models import User
from accounts.services import user_create
from tenants.models import Tenant
from tenants.services import tenant_create
from tests.conftest import PASSWORD, in_schema

SLUG = "nav-menu"
OWNER = f"owner@{SLUG}.test"
STAFF = f"caja@{SLUG}.test"


@pytest.fixture
def shop(workspaces, django_db_blocker):
    with django_db_blocker.unblock():
        leftover = Tenant.objects.filter(slug=SLUG).first()
        if leftover is not None:
            leftover.delete(force_drop=True)
        tenant = tenant_create(slug=SLUG, name="Menu SRL", owner_email=OWNER, owner_password=PASSWORD)
        with in_schema(tenant):
            user_create(email=STAFF, password=PASSWORD, full_name="Caja Uno", role=User.Role.STAFF)
    try:
        yield tenant
    finally:
        with django_db_blocker.unblock():
            tenant.delete(force_drop=True)


def sign_in(browser, base, email):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="es-CO")
    page = context.new_page()
    page.goto(base + "/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("label.nav-toggle-label")
    return page


def group_names(page) -> list[str]:
    return [name.strip(" ▾") for name in page.locator("details.nav-group > summary").all_inner_texts()]


def test_the_owner_finds_the_point_of_sale_under_sell_in_the_phone_menu(shop, live_server_url, browser):
    page = sign_in(browser, live_server_url.format(host=f"{SLUG}.localhost"), OWNER)

    assert not page.locator("nav.nav").is_visible()  # folded behind the ☰ button
    page.click("label.nav-toggle-label")
    assert group_names(page) == ["Vender", "Stock", "Comprar", "Análisis", "Configuración"]
    menu = page.locator("nav.nav")
    assert not menu.get_by_role("link", name="Punto de venta").is_visible()
    page.click("details[data-nav-group=sell] > summary")
    menu.get_by_role("link", name="Punto de venta").click()
    page.wait_for_url("**/pos/")
    # Nothing on the page is wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_staff_sees_no_buying_insights_or_money_menus(shop, live_server_url, browser):
    page = sign_in(browser, live_server_url.format(host=f"{SLUG}.localhost"), STAFF)

    page.click("label.nav-toggle-label")
    assert group_names(page) == ["Vender", "Stock", "Configuración"]
    page.click("details[data-nav-group=settings] > summary")
    menu = page.locator("nav.nav")
    assert not menu.get_by_role("link", name="Facturación").count()
    assert not menu.get_by_role("link", name="Equipo").count()
