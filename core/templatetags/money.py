from django import template
from django.utils import translation

from core.money import format_money

register = template.Library()


@register.simple_tag(takes_context=True)
def money(context, amount, currency=None):
    """{% money amount %}: in the workspace's currency, written for the active language."""
    workspace = context.get("workspace")
    currency = currency or (workspace.currency if workspace else "USD")
    country = workspace.country if workspace else None
    return format_money(amount or 0, currency, translation.get_language() or "es", country)
