"""Reads of the catalogue and locations."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum

from inventory.models import Location, Product


@dataclass(frozen=True)
class WorkspaceSummary:
    active_products: int
    active_locations: int
    catalogue_value: Decimal


def workspace_summary() -> WorkspaceSummary:
    """The figures shown on the workspace home, in two queries."""
    products = Product.objects.aggregate(
        active=Count("id", filter=Q(is_active=True)),
        value=Sum("sale_price", filter=Q(is_active=True)),
    )
    return WorkspaceSummary(
        active_products=products["active"],
        active_locations=Location.objects.filter(is_active=True).count(),
        catalogue_value=products["value"] or Decimal("0"),
    )


def product_list_recent(limit: int = 10):
    return Product.objects.filter(is_active=True).order_by("-created_at")[:limit]
