"""Fixtures of the orders tests: alpha with a café location, a menu (a pastry that holds stock and
a coffee that is always available) and its team by role (tests/customers/fixtures.py)."""

from decimal import Decimal

import pytest

from inventory.models import Location, StockLevel
from orders.models import MenuItem
from tests.customers.fixtures import *  # noqa: F403  (alpha and its team by role)
from tests.inventory.factories import ProductFactory

PHONE = "+573001234567"


@pytest.fixture
def cafe(alpha) -> Location:
    return Location.objects.create(name="Café Centro", kind=Location.Kind.STORE, address="Calle 10 # 5-20")


@pytest.fixture
def pastry(cafe):
    product = ProductFactory(name="Croissant", sale_price=Decimal("4500.00"), tax_rate=Decimal("0"))
    StockLevel.objects.create(product=product, location=cafe, on_hand=Decimal(5), average_cost=Decimal(2000))
    MenuItem.objects.create(product=product)
    return product


@pytest.fixture
def coffee(cafe):
    product = ProductFactory(
        name="Tinto", sale_price=Decimal("2000.00"), tax_rate=Decimal("0"), tracks_stock=False
    )
    MenuItem.objects.create(product=product, always_available=True)
    return product


def level(product, location) -> StockLevel:
    return StockLevel.objects.get(product=product, location=location)


def buyer_post(location, quantities: dict, **fields) -> dict:
    """The ordering page's form: who orders, and ``qty-<id>`` per product."""
    data = {
        "location": location.pk,
        "fulfilment": "pickup",
        "customer_name": "Ana Gómez",
        "customer_phone": PHONE,
        "customer_email": "ana@example.com",
        "notes": "sin azúcar",
    }
    data.update({f"qty-{product.pk}": str(quantity) for product, quantity in quantities.items()})
    data.update(fields)
    return data
