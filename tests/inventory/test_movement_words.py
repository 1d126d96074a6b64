"""Goods coming into stock are an "Entrada" in Spanish; "Comprobante" is the customer's ticket."""

from decimal import Decimal

from django.urls import reverse

from inventory.services import stock_receive
from tests.inventory.factories import ProductFactory
from tests.team.test_team import signed_in


def test_goods_coming_in_are_an_entrada(client_for, workspaces, owner, store):
    product = ProductFactory(name="Panela 500 g")
    stock_receive(product=product, location=store, quantity=12, unit_cost=Decimal("2500"), user=owner)

    page = signed_in(client_for, workspaces.alpha, owner, language="es").get(
        reverse("workspace:stock_movement_list")
    )

    assert "Entrada" in page.content.decode() and "Comprobante" not in page.content.decode()
