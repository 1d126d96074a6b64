"""One formatter for what people read: quantities of products counted in units show no decimals
("46 en existencia", not "46.000"), weighed ones show theirs ("2,5"), pesos colombianos show no
",00", limit messages group thousands one way; numbers written for scripts and charts
(JSON, SVG, CSV) are never localized."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from core.money import format_money, format_quantity, number_text
from inventory.models import Product
from inventory.services import SaleLineInput, sale_create, stock_receive
from plans.limits import limit_text
from tenants.models import Tenant
from tests.conftest import in_schema
from tests.inventory.factories import ProductFactory
from tests.inventory.test_imports_web import web_client


@pytest.fixture
def colombia(db, workspaces):
    Tenant.objects.filter(pk=workspaces.alpha.pk).update(country="CO", currency="COP")
    return workspaces.alpha


@pytest.mark.parametrize(
    ("value", "whole", "language", "country", "expected"),
    [
        (Decimal("46.000"), True, "es", "CO", "46"),
        (Decimal("3227.000"), True, "es", "CO", "3.227"),
        (Decimal("2.500"), False, "es", "CO", "2,5"),
        (Decimal("1250.750"), False, "es", "MX", "1,250.75"),
        (Decimal("46.000"), False, "en", "US", "46"),
    ],
)
def test_quantities_show_decimals_only_when_measured(value, whole, language, country, expected):
    assert format_quantity(value, language, country, whole=whole) == expected


@pytest.mark.parametrize(
    ("amount", "currency", "country", "expected"),
    [
        (Decimal("4500"), "COP", "CO", "$4.500"),
        (Decimal("1234567"), "COP", "CO", "$1.234.567"),
        (Decimal("4500"), "ARS", "AR", "$4.500,00"),
        (Decimal("4500"), "CLP", "CL", "$4.500"),
    ],
)
def test_money_shows_the_decimals_its_currency_is_paid_in(amount, currency, country, expected):
    assert format_money(amount, currency, "es", country).replace("\xa0", "") == expected


def test_pos_lookup_says_46_in_stock_for_units_and_2_5_for_kilograms(colombia, client_for, owner, store):
    client = web_client(client_for, colombia, owner)
    with in_schema(colombia):
        rice = ProductFactory(sku="ARR-1", name="Arroz Diana 500 g", unit=Product.Unit.UNIT)
        cheese = ProductFactory(sku="QUE-1", name="Queso campesino", unit=Product.Unit.KG)
        stock_receive(product=rice, location=store, quantity=46, unit_cost=Decimal("1800"), user=owner)
        stock_receive(
            product=cheese, location=store, quantity=Decimal("2.5"), unit_cost=Decimal("9000"), user=owner
        )

    found = client.get(reverse("workspace:sale_product_lookup"), {"q": "a", "location": store.pk}).json()

    by_sku = {product["sku"]: product for product in found["results"]}
    assert by_sku["ARR-1"]["on_hand_text"] == "46" and by_sku["ARR-1"]["on_hand"] == "46.000"
    assert by_sku["QUE-1"]["on_hand_text"] == "2,5" and by_sku["QUE-1"]["on_hand"] == "2.500"
    pos = client.get(reverse("workspace:sale_pos")).content.decode()
    assert 'data-currency="COP" data-currency-digits="0"' in pos


def test_messages_group_thousands_the_workspace_way(colombia):
    with in_schema(colombia), translation.override("es"):
        assert limit_text(1000) == "1.000"
        assert number_text(3227) == "3.227"
        assert number_text(Decimal("46.000"), whole=True) == "46"


def test_a_receipt_in_pesos_colombianos_has_no_centavos(colombia, client_for, owner, store):
    with in_schema(colombia):
        bread = ProductFactory(sku="PAN-1", name="Pan tajado", sale_price=Decimal("4500"), tracks_stock=False)
        sale = sale_create(location=store, seller=owner, lines=[SaleLineInput(bread, Decimal("2"))])
    client = web_client(client_for, colombia, owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"

    receipt = client.get(reverse("workspace:sale_receipt", args=[sale.pk])).content.decode()

    assert "$9.000" in receipt.replace("\xa0", "") and "9.000,00" not in receipt
