"""The demo data: believable, consistent with the ledger, and safe to seed twice."""

from django.db.models import Sum

from accounts.models import User
from inventory.demo import inventory_demo_seed
from inventory.models import (
    Category,
    Expense,
    Product,
    PurchaseOrder,
    Sale,
    StockLevel,
    StockMovement,
    Supplier,
)
from inventory.selectors import dashboard_get, quantity_on_order
from tests.conftest import in_schema


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Category, Supplier, Product, StockMovement, Sale, PurchaseOrder, Expense)
    }


def test_shop_demo_seeds_once_and_keeps_the_ledger_consistent(alpha, owner):
    inventory_demo_seed(kind="shop")
    first = counts()
    inventory_demo_seed(kind="shop")

    assert counts() == first
    assert first["Sale"] == 8 and first["Supplier"] == 2 and first["Expense"] == 1
    assert Product.objects.filter(category__isnull=False, preferred_supplier__isnull=False).count() == 5
    for level in StockLevel.objects.all():
        moved = StockMovement.objects.filter(product=level.product, location=level.location).aggregate(
            total=Sum("quantity")
        )["total"]
        assert level.on_hand == moved >= 0
    dashboard = dashboard_get()
    assert dashboard.figures.sales_count == 1
    assert sum(day.count for day in dashboard.sales_per_day) == 8
    assert quantity_on_order()


def test_academy_demo_sells_class_packs_without_stock(workspaces, db):
    with in_schema(workspaces.beta):
        assert User.objects.filter(role=User.Role.OWNER).exists()
        inventory_demo_seed(kind="academy")
        inventory_demo_seed(kind="academy")

        assert Sale.objects.count() == 4
        classes = Product.objects.get(sku="CLA-SAL-8")
        assert not classes.tracks_stock
        assert not StockMovement.objects.filter(product=classes).exists()
        assert StockLevel.objects.get(product__sku="ZAP-DAN").on_hand == 7
