"""The menu at phone width: grouped by job, folded behind one button, and each role sees only the
groups it may use."""

import pytest

from accounts.models import User
from accounts.services import user_create
from tests.conftest import PASSWORD, in_schema

STAFF_EMAIL = "cajera@alpha.test"


@pytest.fixture
def alpha_staff(workspaces, django_db_blocker):
    """A committed STAFF user of alpha (the browser signs in through gunicorn), removed afterwards."""
    with django_db_blocker.unblock(), in_schema(workspaces.alpha):
        User.objects.filter(email=STAFF_EMAIL).delete()
        user_create(email=STAFF_EMAIL, password=PASSWORD, full_name="Caja Uno", role=User.Role.STAFF)
    yield STAFF_EMAIL
    with django_db_blocker.unblock(), in_schema(workspaces.alpha):
        User.objects.filter(email=STAFF_EMAIL).delete()


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


def test_the_owner_finds_the_point_of_sale_under_sell_in_the_phone_menu(workspaces, live_server_url, browser):
    page = sign_in(browser, live_server_url.format(host="alpha.localhost"), "owner@alpha.test")

    assert not page.locator("nav.nav").is_visible()  # folded behind the ☰ button
    page.click("label.nav-toggle-label")
    assert group_names(page) == ["Vender", "Stock", "Comprar", "Análisis", "Configuración"]
    assert not page.get_by_role("link", name="Punto de venta").is_visible()
    page.click("details[data-nav-group=sell] > summary")
    page.get_by_role("link", name="Punto de venta").click()
    page.wait_for_url("**/pos/")
    # Nothing on the page is wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_staff_sees_no_buying_insights_or_money_menus(alpha_staff, live_server_url, browser):
    page = sign_in(browser, live_server_url.format(host="alpha.localhost"), alpha_staff)

    page.click("label.nav-toggle-label")
    assert group_names(page) == ["Vender", "Stock", "Configuración"]
    page.click("details[data-nav-group=settings] > summary")
    assert not page.get_by_role("link", name="Facturación").count()
    assert not page.get_by_role("link", name="Equipo").count()
