"""Money shown the way the reader's language and the business's country write it."""

from decimal import Decimal

from babel.core import Locale, UnknownLocaleError
from babel.numbers import format_currency, format_decimal


def locale_for(language: str, country: str | None) -> str:
    """'es' + 'AR' -> 'es_AR' when Babel knows it, else the bare language."""
    language = (language or "es").split("-")[0]
    if country:
        candidate = f"{language}_{country.upper()}"
        try:
            Locale.parse(candidate)
            return candidate
        except (UnknownLocaleError, ValueError):
            pass
    return language


# Where no business's country is known (the public site), write a currency the way its home
# country does.
_CURRENCY_COUNTRY = {
    "ARS": "AR", "BOB": "BO", "BRL": "BR", "CLP": "CL", "COP": "CO", "CRC": "CR", "DOP": "DO",
    "EUR": "ES", "GTQ": "GT", "HNL": "HN", "MXN": "MX", "NIO": "NI", "PAB": "PA", "PEN": "PE",
    "PYG": "PY", "USD": "US", "UYU": "UY",
}  # fmt: skip


def country_of_currency(currency: str) -> str | None:
    return _CURRENCY_COUNTRY.get(currency.upper())


def format_money(
    amount: Decimal | int | float, currency: str, language: str, country: str | None = None
) -> str:
    return format_currency(Decimal(amount), currency, locale=locale_for(language, country))


def format_number(value, language: str, country: str | None = None) -> str:
    """A plain number, grouped the way the language and country write it (1.000 in es_AR)."""
    return format_decimal(value, locale=locale_for(language, country))
