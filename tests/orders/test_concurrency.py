"""30 buyers ordering the last 5 units at once through the ordering page, on committed data in a
workspace of this module's own: exactly 5 orders hold stock, never more than is on hand."""

import threading
from decimal import Decimal

import pytest
from django.db import connections
from django.test import Client

from inventory.models import Location, Product, StockLevel
from orders.models import MenuItem, Order
from tenants.models import Tenant
from tenants.services import tenant_create
from tests.conftest import PASSWORD, host_of, in_schema

BUYERS = 30
UNITS = 5


@pytest.fixture(scope="module")
def rush(django_db_setup, django_db_blocker, workspaces):
    """A café of its own (committed: every thread has its own connection), dropped at the end."""
    with django_db_blocker.unblock():
        for leftover in Tenant.objects.filter(slug="orders-rush"):  # a run killed before its teardown
            leftover.delete(force_drop=True)
        tenant = tenant_create(
            slug="orders-rush", name="Rush SAS", owner_email="owner@orders-rush.test", owner_password=PASSWORD
        )
        with in_schema(tenant):
            location = Location.objects.create(name="Barra")
            product = Product.objects.create(sku="LAST-5", name="Último pan", sale_price=Decimal("3000"))
            StockLevel.objects.create(product=product, location=location, on_hand=UNITS)
            MenuItem.objects.create(product=product)
    yield tenant, location, product
    with django_db_blocker.unblock():
        tenant.delete(force_drop=True)


@pytest.mark.timeout(180)
def test_thirty_buyers_for_the_last_five_units_never_hold_more_than_on_hand(rush, django_db_blocker):
    tenant, location, product = rush
    start = threading.Barrier(BUYERS)
    answers = []

    def buyer(index: int) -> None:
        client = Client(HTTP_HOST=host_of(tenant), REMOTE_ADDR=f"10.0.{index // 250}.{index % 250 + 1}")
        try:
            start.wait(timeout=60)
            response = client.post(
                "/pedir/",
                {
                    "location": location.pk,
                    "fulfilment": "pickup",
                    "customer_name": f"Comprador {index}",
                    "customer_phone": f"+5730012{index:05d}",
                    f"qty-{product.pk}": "1",
                },
            )
            answers.append(response.status_code)
        finally:
            connections.close_all()

    with django_db_blocker.unblock():
        threads = [threading.Thread(target=buyer, args=(index,)) for index in range(BUYERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        with in_schema(tenant):
            level = StockLevel.objects.get(product=product, location=location)
            placed = Order.objects.count()
            numbers = sorted(Order.objects.values_list("number", flat=True))

    assert len(answers) == BUYERS
    assert answers.count(302) == UNITS  # placed, sent to the status page
    assert answers.count(200) == BUYERS - UNITS  # the page again, saying none is left
    assert placed == UNITS and numbers == list(range(1, UNITS + 1))
    assert level.reserved == UNITS and level.on_hand == UNITS
