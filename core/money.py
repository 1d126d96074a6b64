"""Money shown the way the reader's language and the business's country write it."""

from decimal import Decimal

from babel.core import Locale, UnknownLocaleError
from babel.numbers import format_currency


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


def format_money(
    amount: Decimal | int | float, currency: str, language: str, country: str | None = None
) -> str:
    return format_currency(Decimal(amount), currency, locale=locale_for(language, country))
