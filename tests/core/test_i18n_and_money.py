"""Spanish first, English on request; money written per language and country."""

from decimal import Decimal

import pytest

from core.money import format_money


@pytest.mark.parametrize(
    ("language", "country", "currency", "expected"),
    [
        ("es", "AR", "ARS", "$1.234,50"),
        ("en", "AR", "ARS", "ARS1,234.50"),
        ("es", "MX", "MXN", "$1,234.50"),
        ("es", "CO", "COP", "$1.234"),  # pesos colombianos: no centavos shown
        ("en", "US", "USD", "$1,234.50"),
    ],
)
def test_money_is_formatted_for_the_language_and_country(language, country, currency, expected):
    assert format_money(Decimal("1234.5"), currency, language, country) == expected


def test_workspace_speaks_its_own_language_to_an_english_browser(client_for, workspaces):
    response = client_for(workspaces.alpha).get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert 'lang="es"' in response.text
    assert "Iniciar sesión" in response.text


def test_language_switcher_turns_the_workspace_to_english(client_for, workspaces):
    client = client_for(workspaces.alpha)

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"}, follow=True)

    assert 'lang="en"' in response.text
    assert "Sign in to Alpha SRL" in response.text


def test_public_site_follows_the_browser_language(client_for):
    english = client_for(None).get("/", HTTP_ACCEPT_LANGUAGE="en")
    spanish = client_for(None).get("/", HTTP_ACCEPT_LANGUAGE="es-AR")
    default = client_for(None).get("/", HTTP_ACCEPT_LANGUAGE="")

    assert "Stock, sales and forecasts" in english.text
    assert "Stock, ventas y pronósticos" in spanish.text
    assert "Stock, ventas y pronósticos" in default.text
