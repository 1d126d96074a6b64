"""The one formatter of numbers a person reads: money, quantities and plain numbers, written the
way the reader's language and the business's country write them (Babel). Numbers written into SVG,
JavaScript, CSV or HTML attributes are never localized: they use ``str()`` or ``|unlocalize``."""

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from babel.core import Locale, UnknownLocaleError, get_global
from babel.numbers import format_decimal, parse_pattern
from django.utils import translation


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


def money_digits(currency: str) -> int:
    """Decimals shown for an amount: the currency's cash digits (CLDR), so pesos colombianos show no
    ",00" (4.500, not 4.500,00) while pesos argentinos keep their centavos."""
    fractions = get_global("currency_fractions")
    return (fractions.get(currency.upper()) or fractions["DEFAULT"])[2]


def format_money(
    amount: Decimal | int | float, currency: str, language: str, country: str | None = None
) -> str:
    locale = Locale.parse(locale_for(language, country))
    digits = money_digits(currency)
    pattern = parse_pattern(locale.currency_formats["standard"])
    pattern.frac_prec = (digits, digits)
    return pattern.apply(Decimal(amount), locale, currency=currency, currency_digits=False)


def format_number(value, language: str, country: str | None = None) -> str:
    """A plain number, grouped the way the language and country write it (1.000 in es_AR),
    up to three decimals, none when it is whole (46, not 46.000)."""
    return format_decimal(value, locale=locale_for(language, country))


def format_quantity(value, language: str, country: str | None = None, *, whole: bool = False) -> str:
    """A quantity: ``whole`` for products counted in units or packs (46), else up to three
    decimals for weighed or measured ones (2,5 kg)."""
    value = Decimal(value or 0)
    if whole:
        value = value.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return format_number(value, language, country)


# The workspace on the connection lives above core: tenants registers how to find its country
# and currency (tenants.apps), so code anywhere can write "for the current workspace".
_workspace_of: Callable[[], tuple[str | None, str | None]] = lambda: (None, None)  # noqa: E731


def workspace_resolver_set(resolver: Callable[[], tuple[str | None, str | None]]) -> None:
    """``resolver() -> (country, currency)`` of the workspace on the connection, (None, None) on
    the public site."""
    global _workspace_of
    _workspace_of = resolver


def number_text(value, *, whole: bool = False) -> str:
    """A number for a message, for the active language and the current workspace's country."""
    country, _currency = _workspace_of()
    return format_quantity(value, translation.get_language() or "es", country, whole=whole)


def money_text(amount, currency: str | None = None) -> str:
    """An amount for a message, in the current workspace's currency unless ``currency`` is given."""
    country, workspace_currency = _workspace_of()
    currency = currency or workspace_currency or "USD"
    if country is None:
        country = country_of_currency(currency)
    return format_money(amount or 0, currency, translation.get_language() or "es", country)
