"""A new workspace's dashboard shows its first steps, each ticked when done; empty lists say what
to do and offer the button, "nothing matches" only when a filter is set; the trial's days left
show in the header."""

import re
from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.services import user_create
from inventory.services import SaleLineInput, sale_create
from tenants.models import Tenant
from tests.conftest import PASSWORD
from tests.inventory.factories import ProductFactory
from tests.team.test_team import signed_in


def steps_of(page: str) -> dict[str, str]:
    return dict(re.findall(r'data-step="(\w+)" data-done="(\w+)"', page))


def test_a_new_workspace_shows_four_first_steps_ticked_as_they_are_done(client_for, workspaces, owner, store):
    client = signed_in(client_for, workspaces.alpha, owner)
    home = reverse("workspace:home")

    assert steps_of(client.get(home).content.decode()) == {
        "products": "false",
        "pos": "false",
        "team": "false",
        "brand": "false",
    }

    product = ProductFactory(name="Arroz Diana 500 g", sale_price=Decimal("2500"), tracks_stock=False)
    assert steps_of(client.get(home).content.decode())["products"] == "true"
    sale_create(location=store, seller=owner, lines=[SaleLineInput(product, Decimal("1"))])
    user_create(email="cajera@alpha.test", password=PASSWORD, role=User.Role.STAFF)
    page = client.get(home).content.decode()
    assert steps_of(page) == {"products": "true", "pos": "true", "team": "true", "brand": "false"}
    assert 'href="/settings/branding/"' in page


def test_staff_sees_no_first_steps(client_for, workspaces, staff):
    page = signed_in(client_for, workspaces.alpha, staff).get(reverse("workspace:home")).content.decode()
    assert 'data-testid="first-steps"' not in page


def test_an_empty_product_list_says_what_to_do_and_a_filtered_one_that_nothing_matches(
    client_for, workspaces, owner
):
    client = signed_in(client_for, workspaces.alpha, owner)

    empty = client.get(reverse("workspace:product_list")).content.decode()
    filtered = client.get(reverse("workspace:product_list"), {"q": "yerba"}).content.decode()

    assert "You have no products yet." in empty and "Nothing matches these filters." not in empty
    assert reverse("workspace:product_create") in empty and reverse("workspace:import_list") in empty
    assert "Nothing matches these filters." in filtered and "You have no products yet." not in filtered


def test_empty_stock_and_sales_lists_offer_the_next_step(client_for, workspaces, owner):
    client = signed_in(client_for, workspaces.alpha, owner)

    stock = client.get(reverse("workspace:stock_level_list")).content.decode()
    sales = client.get(reverse("workspace:sale_list")).content.decode()

    assert "No stock recorded yet." in stock and reverse("workspace:import_list") in stock
    assert "No sales yet." in sales and "No sales match these filters." not in sales


def test_the_header_shows_the_trials_days_left(client_for, workspaces, owner):
    Tenant.objects.filter(pk=workspaces.alpha.pk).update(
        status=Tenant.Status.TRIAL, trial_ends_at=timezone.now() + timedelta(days=11, hours=3)
    )
    page = signed_in(client_for, workspaces.alpha, owner).get(reverse("workspace:home")).content.decode()

    assert "Trial: 12 days left" in page
