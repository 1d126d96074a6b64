"""Headless Chromium (Debian's) against gunicorn: an owner previews and saves a new primary
colour; the header and the sign-in page then use it (computed styles, not markup)."""

import pytest

from branding.services import branding_reset
from plans.models import Plan
from tenants.models import Tenant
from tenants.services import tenant_create
from tests.conftest import PASSWORD, host_of

SLUG = "brandlab"
OWNER = "owner@brandlab.test"
NEW_PRIMARY = "#7c3aed"
NEW_PRIMARY_RGB = "rgb(124, 58, 237)"
DEFAULT_PRIMARY_RGB = "rgb(15, 118, 110)"


@pytest.fixture
def brandlab(workspaces, django_db_blocker):
    """A workspace of this test's own, open and on Profesional, committed (gunicorn must see it),
    dropped afterwards.

    Not alpha or beta: what a browser does is committed (sign-ins, audit events), and other tests
    count those in alpha's and beta's schemas.
    """
    with django_db_blocker.unblock():
        tenant = Tenant.objects.filter(slug=SLUG).first() or tenant_create(
            slug=SLUG, name="Brand Lab", owner_email=OWNER, owner_password=PASSWORD, plan_code="profesional"
        )
        Tenant.objects.filter(pk=tenant.pk).update(
            plan=Plan.objects.get(code="profesional"), status=Tenant.Status.TRIAL
        )
        tenant = Tenant.objects.select_related("plan").get(pk=tenant.pk)
        branding_reset(tenant=tenant)
    yield tenant
    with django_db_blocker.unblock():
        tenant.delete(force_drop=True)


def background(page, selector: str) -> str:
    return page.eval_on_selector(selector, "element => getComputedStyle(element).backgroundColor")


def test_owner_saves_a_primary_colour_and_the_header_and_sign_in_page_use_it(
    brandlab, live_server_url, browser
):
    # The database fixture comes first: Playwright's loop would refuse synchronous ORM calls.
    base = live_server_url.format(host=host_of(brandlab))
    page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
    page.goto(base + "/accounts/login/")
    page.fill("input[name=login]", OWNER)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_selector("[data-testid=active-products]")

    page.goto(base + "/settings/branding/")
    assert background(page, "header.topbar") == DEFAULT_PRIMARY_RGB

    # The preview follows the field before anything is saved.
    page.fill("#id_primary_colour", NEW_PRIMARY)
    assert background(page, "[data-testid=preview-header]") == NEW_PRIMARY_RGB
    assert background(page, "[data-testid=preview-button]") == NEW_PRIMARY_RGB
    assert background(page, "header.topbar") == DEFAULT_PRIMARY_RGB

    page.click("[data-testid=branding-save]")
    page.wait_for_selector(".message-success")
    assert background(page, "header.topbar") == NEW_PRIMARY_RGB
    assert page.eval_on_selector("header.topbar", "e => getComputedStyle(e).color") == "rgb(255, 255, 255)"

    # Someone signed out, on another browser: the sign-in page wears the new colour too.
    visitor = browser.new_context().new_page()
    visitor.goto(base + "/accounts/login/")
    assert background(visitor, "header.topbar") == NEW_PRIMARY_RGB
    assert background(visitor, "main button[type=submit]") == NEW_PRIMARY_RGB
