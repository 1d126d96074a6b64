from django import template
from django.utils import translation

from core.money import country_of_currency, format_money, format_number, format_quantity, money_digits

register = template.Library()


@register.simple_tag(takes_context=True)
def money(context, amount, currency=None):
    """{% money amount %}: in the workspace's currency, written for the active language."""
    workspace = context.get("workspace")
    currency = currency or (workspace.currency if workspace else "USD")
    country = workspace.country if workspace else country_of_currency(currency)
    return format_money(amount or 0, currency, translation.get_language() or "es", country)


@register.simple_tag(takes_context=True)
def number(context, value):
    """{% number value %}: grouped for the active language and the workspace's country."""
    workspace = context.get("workspace")
    country = workspace.country if workspace else context.get("country")
    return format_number(value or 0, translation.get_language() or "es", country)


@register.simple_tag(takes_context=True)
def quantity(context, value, whole=False):
    """{% quantity value product.counts_units %}: no decimals for products counted in units or
    packs (46), up to three for weighed or measured ones (2,5)."""
    workspace = context.get("workspace")
    country = workspace.country if workspace else context.get("country")
    return format_quantity(value, translation.get_language() or "es", country, whole=bool(whole))


@register.simple_tag(takes_context=True)
def currency_digits(context, currency=None):
    """{% currency_digits %}: decimals an amount in the workspace's currency shows (for scripts)."""
    workspace = context.get("workspace")
    return str(money_digits(currency or (workspace.currency if workspace else "USD")))
