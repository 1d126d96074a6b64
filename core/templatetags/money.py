from django import template
from django.utils import translation

from core.money import country_of_currency, format_money, format_number

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
