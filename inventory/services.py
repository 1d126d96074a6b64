"""Writes to the catalogue and locations."""

from decimal import Decimal

from django.db import transaction

from inventory.models import Location, Product


def location_create(*, name: str, kind: str = Location.Kind.STORE) -> Location:
    """Create a place that keeps or sells stock."""
    return Location.objects.create(name=name, kind=kind)


def product_create(
    *, sku: str, name: str, sale_price: Decimal, cost: Decimal = Decimal("0"), tracks_stock: bool = True
) -> Product:
    """Add a product to the catalogue."""
    with transaction.atomic():
        return Product.objects.create(
            sku=sku, name=name, sale_price=sale_price, cost=cost, tracks_stock=tracks_stock
        )
