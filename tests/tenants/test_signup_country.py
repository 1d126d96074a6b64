"""Signup from a Colombian browser starts as Colombia: the browser's language region sets the
country, and the country sets currency, time zone (its own zones only), tax-ID name and usual tax
rate, each editable; new products then start with that rate."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import User
from inventory.models import Product
from tenants.countries import COUNTRY_DEFAULTS, country_from_accept_language
from tenants.models import Tenant
from tests.conftest import in_schema
from tests.inventory.test_imports_web import web_client
from tests.tenants.test_signup import VALID, confirm_path, post_signup


def selected(page: str, name: str) -> str:
    select = re.search(rf'<select name="{name}".*?</select>', page, re.S).group(0)
    return re.search(r'<option value="([^"]*)"[^>]*selected', select).group(1)


def options(page: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', page, re.S).group(0)
    return re.findall(r'<option value="([^"]*)"', select)


def input_value(page: str, name: str) -> str:
    return re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', page).group(1)


@pytest.mark.parametrize(
    ("header", "country"),
    [
        ("es-CO,es;q=0.9,en;q=0.8", "CO"),
        ("es-MX", "MX"),
        ("pt-BR,pt;q=0.9", "BR"),
        ("es,en-US;q=0.5", "US"),
        ("es", None),
        ("", None),
    ],
)
def test_the_country_comes_from_the_browsers_language_region(header, country):
    assert country_from_accept_language(header) == country


@pytest.mark.parametrize(
    ("header", "country", "currency", "zone", "tax_id", "rate"),
    [
        ("es-CO,es;q=0.9", "CO", "COP", "America/Bogota", "NIT", "19"),
        ("es-CL", "CL", "CLP", "America/Santiago", "RUT", "19"),
        ("es-MX", "MX", "MXN", "America/Mexico_City", "RFC", "16"),
        ("es-AR", "AR", "ARS", "America/Argentina/Buenos_Aires", "CUIT", "21"),
        ("pt-BR", "BR", "BRL", "America/Sao_Paulo", "CPF/CNPJ", "17"),
        ("es-PE", "PE", "PEN", "America/Lima", "RUC", "18"),
    ],
)
def test_a_browser_from_a_country_gets_its_defaults(
    client_for, header, country, currency, zone, tax_id, rate
):
    page = client_for(None).get("/signup/", HTTP_ACCEPT_LANGUAGE=header).content.decode()

    assert selected(page, "country") == country
    assert selected(page, "currency") == currency
    assert selected(page, "time_zone") == zone
    assert options(page, "time_zone") == list(COUNTRY_DEFAULTS[country].time_zones)
    assert input_value(page, "tax_id_label") == tax_id
    assert Decimal(input_value(page, "default_tax_rate")) == Decimal(rate)
    assert 'id="country-defaults"' in page  # the script that follows a change of country


def test_a_colombian_signup_keeps_colombian_settings_and_products_start_at_19(client_for):
    client = client_for(None)
    response = post_signup(
        client,
        subdomain="tienda-bogota",
        country="CO",
        currency="COP",
        time_zone="America/Bogota",
        tax_id_label="NIT",
        default_tax_rate="19",
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    tenant = Tenant.objects.get(slug="tienda-bogota")
    assert (tenant.country, tenant.currency, tenant.time_zone) == ("CO", "COP", "America/Bogota")
    assert (tenant.tax_id_label, tenant.default_tax_rate) == ("NIT", Decimal("19"))
    assert client_for(tenant).get(confirm_path(tenant)).status_code == 302  # the emailed link
    with in_schema(tenant):
        owner = User.objects.get(email=VALID["owner_email"].lower())
    page = web_client(client_for, tenant, owner).get(reverse("workspace:product_create")).content.decode()
    assert input_value(page, "tax_rate") in ("19", "19.00", "19,00")
    with in_schema(tenant):
        assert not Product.objects.exists()


def test_a_time_zone_of_another_country_is_refused_and_nothing_is_created(client_for):
    response = post_signup(
        client_for(None),
        subdomain="tienda-cali",
        country="CO",
        currency="COP",
        time_zone="America/Argentina/Cordoba",
    )

    assert response.status_code == 200
    assert not Tenant.objects.filter(slug="tienda-cali").exists()
    assert options(response.content.decode(), "time_zone") == ["America/Bogota"]
