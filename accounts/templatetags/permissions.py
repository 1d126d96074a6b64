from django import template

from accounts.permissions import Perm, has_perm

register = template.Library()


@register.filter
def can(user, perm_name: str) -> bool:
    """{% if user|can:"manage_products" %}: show only what the role may use."""
    return has_perm(user, Perm(perm_name))
