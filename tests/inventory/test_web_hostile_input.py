"""Malformed input on the screens answers with a message (or an empty result), never a server
error, and writes nothing."""

from decimal import Decimal

import pytest
from django.conf import settings

from accounts.models import User
from inventory.models import Sale
from inventory.services import stock_receive
from tests.conftest import in_schema
from tests.inventory.factories import LocationFactory, ProductFactory


@pytest.fixture
def counter(db, workspaces, client_for):
    with in_schema(workspaces.alpha):
        owner = User.objects.get(email="owner@alpha.test")
        store = LocationFactory(name="Mostrador")
        product = ProductFactory(sku="ALF-1", name="Alfajor", sale_price=Decimal("1500"))
        stock_receive(product=product, location=store, quantity=20, unit_cost=Decimal("800"), user=owner)
        client = client_for(workspaces.alpha)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        client.force_login(owner, backend="django.contrib.auth.backends.ModelBackend")
    return {"client": client, "store": store, "product": product, "tenant": workspaces.alpha}


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        ("9" * 400, "That quantity is too large."),
        ("1e400", "That quantity is too large."),
        ("99999999999999", "That quantity is too large."),
        ("NaN", "Quantities and discounts must be numbers."),
        ("-Infinity", "Quantities and discounts must be numbers."),
    ],
)
def test_a_quantity_no_till_can_hold_is_refused_on_the_pos(counter, quantity, message):
    response = counter["client"].post(
        "/pos/",
        {
            "location": counter["store"].pk,
            "payment_method": "cash",
            "line_product": [counter["product"].pk],
            "line_quantity": [quantity],
            "line_discount": ["0"],
        },
    )

    assert response.status_code in (200, 400)
    assert message in response.content.decode()
    with in_schema(counter["tenant"]):
        assert Sale.objects.count() == 0


@pytest.mark.parametrize("path", ["/products/", "/sales/", "/stock/", "/purchase-orders/", "/quotes/"])
def test_a_nul_byte_in_a_list_search_is_no_server_error(counter, path):
    response = counter["client"].get(path, {"q": "\x00caf\x00"})

    assert response.status_code in (200, 400)
