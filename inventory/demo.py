"""Believable demo data for a workspace's inventory, in the schema active on the connection.

``inventory_demo_seed(kind=...)`` adds categories, suppliers, opening stock, a few sales over the
last days, a purchase order and an expense, all through the services. Each part is skipped when
it is already there, so running it twice changes nothing.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction

from accounts.models import User
from inventory.dates import workspace_timezone, workspace_today
from inventory.models import (
    Category,
    Expense,
    ExpenseCategory,
    Location,
    Product,
    PurchaseOrder,
    Sale,
    StockMovement,
    Supplier,
)
from inventory.services import (
    PurchaseLineInput,
    SaleLineInput,
    category_create,
    expense_category_create,
    expense_create,
    location_create,
    product_create,
    product_update,
    purchase_order_create,
    purchase_order_send,
    sale_create,
    stock_receive,
    supplier_create,
)
from plans.exceptions import PlanLimitReached


@dataclass(frozen=True)
class DemoProduct:
    sku: str
    name: str
    price: str
    cost: str
    holds_stock: bool
    category: tuple[str, ...]  # path from the top
    supplier: str
    barcode: str = ""
    unit: str = Product.Unit.UNIT
    tax_rate: str = "21.00"
    min_stock: str = "0"
    opening: str = "0"
    lead_time_days: int = 0
    pack_size: str = "1"


@dataclass(frozen=True)
class DemoCatalogue:
    locations: tuple[tuple[str, str], ...]
    suppliers: tuple[tuple[str, str, str], ...]  # name, contact, email
    products: tuple[DemoProduct, ...]
    # (days ago, hour, ((sku, quantity), ...), payment method)
    sales: tuple[tuple[int, int, tuple[tuple[str, str], ...], str], ...]
    expense_categories: tuple[str, ...]
    expenses: tuple[tuple[int, str, str, str], ...]  # days ago, category, amount, note


SHOP = DemoCatalogue(
    locations=(("Local Centro", Location.Kind.STORE), ("Depósito", Location.Kind.WAREHOUSE)),
    suppliers=(
        ("Distribuidora del Sur", "Carla Méndez", "pedidos@distribuidoradelsur.example.com"),
        ("Molinos La Estrella", "Jorge Paz", "ventas@molinoslaestrella.example.com"),
    ),
    products=(
        DemoProduct(
            "YER-500",
            "Yerba mate 500 g",
            "3200.00",
            "2100.00",
            True,
            ("Almacén", "Infusiones"),
            "Distribuidora del Sur",
            "7790387000122",
            min_stock="12",
            opening="30",
            lead_time_days=3,
            pack_size="10",
        ),
        DemoProduct(
            "CAF-250",
            "Café molido 250 g",
            "4500.00",
            "2900.00",
            True,
            ("Almacén", "Infusiones"),
            "Distribuidora del Sur",
            "7790387000238",
            min_stock="8",
            opening="10",
            lead_time_days=3,
            pack_size="6",
        ),
        DemoProduct(
            "AZU-1K",
            "Azúcar 1 kg",
            "1500.00",
            "950.00",
            True,
            ("Almacén", "Despensa"),
            "Molinos La Estrella",
            "7791234000012",
            min_stock="10",
            opening="24",
            lead_time_days=5,
            pack_size="10",
        ),
        DemoProduct(
            "GAL-CHO",
            "Galletitas de chocolate",
            "1200.00",
            "700.00",
            True,
            ("Golosinas",),
            "Distribuidora del Sur",
            "7792222000113",
            min_stock="15",
            opening="12",
            lead_time_days=2,
            pack_size="12",
        ),
        DemoProduct(
            "ACE-900",
            "Aceite de girasol 900 ml",
            "2800.00",
            "1900.00",
            True,
            ("Almacén", "Despensa"),
            "Molinos La Estrella",
            "7793333000115",
            min_stock="6",
            opening="18",
            lead_time_days=5,
            pack_size="12",
        ),
    ),
    sales=(
        (6, 10, (("YER-500", "2"), ("AZU-1K", "1")), "cash"),
        (5, 12, (("CAF-250", "1"),), "card"),
        (4, 17, (("GAL-CHO", "3"), ("ACE-900", "1")), "cash"),
        (3, 11, (("YER-500", "1"), ("GAL-CHO", "2")), "transfer"),
        (2, 18, (("AZU-1K", "2"), ("ACE-900", "1")), "cash"),
        (1, 9, (("YER-500", "3"),), "card"),
        (1, 16, (("CAF-250", "2"), ("GAL-CHO", "1")), "cash"),
        (0, 9, (("YER-500", "1"), ("AZU-1K", "1")), "cash"),
    ),
    expense_categories=("Alquiler", "Servicios", "Sueldos"),
    expenses=((0, "Servicios", "18500.00", "Luz y agua"),),
)

ACADEMY = DemoCatalogue(
    locations=(("Sede Palermo", Location.Kind.BRANCH),),
    suppliers=(("Calzados de Danza BA", "Sofía Ríos", "ventas@calzadosdanza.example.com"),),
    products=(
        DemoProduct(
            "CLA-SAL-8",
            "Pack 8 clases de salsa",
            "24000.00",
            "0",
            False,
            ("Clases",),
            "",
            tax_rate="0",
            unit=Product.Unit.PACK,
        ),
        DemoProduct(
            "CLA-TAN-4",
            "Pack 4 clases de tango",
            "14000.00",
            "0",
            False,
            ("Clases",),
            "",
            tax_rate="0",
            unit=Product.Unit.PACK,
        ),
        DemoProduct(
            "ZAP-DAN",
            "Zapatos de danza",
            "52000.00",
            "31000.00",
            True,
            ("Indumentaria",),
            "Calzados de Danza BA",
            min_stock="3",
            opening="8",
            lead_time_days=10,
        ),
    ),
    sales=(
        (5, 19, (("CLA-SAL-8", "1"),), "transfer"),
        (3, 18, (("CLA-TAN-4", "1"), ("ZAP-DAN", "1")), "card"),
        (1, 20, (("CLA-SAL-8", "2"),), "cash"),
        (0, 18, (("CLA-TAN-4", "1"),), "transfer"),
    ),
    expense_categories=("Alquiler de sala", "Honorarios"),
    expenses=((0, "Alquiler de sala", "95000.00", "Sala grande, mes en curso"),),
)

CATALOGUES = {"shop": SHOP, "academy": ACADEMY}


def _category_for(path: tuple[str, ...]) -> Category:
    parent = None
    for name in path:
        category = Category.objects.filter(name=name, parent=parent).first()
        parent = category or category_create(name=name, parent=parent)
    return parent


def inventory_demo_seed(*, kind: str) -> None:
    """Seed the current workspace's inventory with the demo of its kind ("shop" or "academy").

    Needs the workspace's owner (the services record who did what); does nothing without one.
    Safe to run twice: every part is skipped when its data is already there.
    """
    catalogue = CATALOGUES.get(kind, SHOP)
    owner = User.objects.filter(role=User.Role.OWNER, is_active=True).order_by("pk").first()
    if owner is None:
        return
    with transaction.atomic():
        _seed(catalogue, owner)


def _seed(catalogue: DemoCatalogue, owner) -> None:
    tz = workspace_timezone()
    today = workspace_today(tz)
    for name, kind in catalogue.locations:
        if not Location.objects.filter(name=name).exists():
            try:
                location_create(name=name, kind=kind)
            except PlanLimitReached:
                break  # the plan allows fewer places: the demo uses what there is
    store = (
        Location.objects.filter(name=catalogue.locations[0][0]).first()
        or Location.objects.filter(is_active=True).order_by("pk").first()
    )
    if store is None:
        return

    for name, contact, email in catalogue.suppliers:
        if not Supplier.objects.filter(name=name).exists():
            supplier_create(name=name, contact_name=contact, email=email)

    products = {}
    for item in catalogue.products:
        product = Product.objects.filter(sku=item.sku).first()
        if product is None:
            product = product_create(
                sku=item.sku,
                name=item.name,
                sale_price=Decimal(item.price),
                cost=Decimal(item.cost),
                tracks_stock=item.holds_stock,
            )
        if product.category_id is None:
            product = product_update(
                product=product,
                category=_category_for(item.category),
                preferred_supplier=Supplier.objects.filter(name=item.supplier).first(),
                barcode=product.barcode or item.barcode,
                unit=item.unit,
                tax_rate=Decimal(item.tax_rate),
                min_stock=Decimal(item.min_stock),
                lead_time_days=item.lead_time_days,
                pack_size=Decimal(item.pack_size),
            )
        products[item.sku] = product

    opening_day = datetime.combine(today - timedelta(days=7), time(8), tzinfo=tz)
    for item in catalogue.products:
        product = products[item.sku]
        if product.tracks_stock and Decimal(item.opening) > 0:
            if not StockMovement.objects.filter(product=product).exists():
                stock_receive(
                    product=product,
                    location=store,
                    quantity=Decimal(item.opening),
                    unit_cost=Decimal(item.cost),
                    user=owner,
                    reason="Stock inicial",
                    occurred_at=opening_day,
                )

    if not Sale.objects.exists():
        for days_ago, hour, lines, payment_method in catalogue.sales:
            sale_create(
                location=store,
                seller=owner,
                lines=[
                    SaleLineInput(product=products[sku], quantity=Decimal(quantity))
                    for sku, quantity in lines
                ],
                payment_method=payment_method,
                occurred_at=datetime.combine(today - timedelta(days=days_ago), time(hour), tzinfo=tz),
            )

    if not PurchaseOrder.objects.exists():
        low = [products[item.sku] for item in catalogue.products if item.holds_stock and item.supplier]
        if low:
            product = low[-1]
            order = purchase_order_create(
                supplier=product.preferred_supplier or Supplier.objects.order_by("pk").first(),
                location=store,
                user=owner,
                lines=[PurchaseLineInput(product=product, quantity=product.pack_size * 2)],
                expected_on=today + timedelta(days=product.lead_time_days or 3),
            )
            purchase_order_send(order=order, user=owner, notify_supplier=False)

    for name in catalogue.expense_categories:
        if not ExpenseCategory.objects.filter(name=name).exists():
            expense_category_create(name=name)
    if not Expense.objects.exists():
        for days_ago, category, amount, note in catalogue.expenses:
            expense_create(
                user=owner,
                date=today - timedelta(days=days_ago),
                amount=Decimal(amount),
                category=ExpenseCategory.objects.get(name=category),
                note=note,
            )
