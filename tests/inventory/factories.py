"""factory_boy factories for inventory rows that tests set up directly (no services, no limits)."""

from decimal import Decimal

import factory

from inventory.models import Category, ExpenseCategory, Location, Product, Supplier


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    name = factory.Sequence(lambda n: f"Sucursal {n}")
    kind = Location.Kind.STORE


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Categoría {n}")


class SupplierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Supplier

    name = factory.Sequence(lambda n: f"Proveedor {n}")
    email = factory.Sequence(lambda n: f"ventas{n}@proveedor.example.com")


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    name = factory.Sequence(lambda n: f"Producto {n}")
    sale_price = Decimal("100.00")
    cost = Decimal("60.00")
    tax_rate = Decimal("21.00")


class ExpenseCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExpenseCategory

    name = factory.Sequence(lambda n: f"Gasto {n}")
