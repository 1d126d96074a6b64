"""Reads of the catalogue, locations, suppliers and the inventory settings."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from accounts.permissions import Perm, has_perm
from core.search import Unaccented, search_normal
from inventory.exceptions import NotFound
from inventory.models import Category, InventorySettings, Location, Product, Supplier
from inventory.selectors.common import object_get


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


def inventory_settings_get() -> InventorySettings:
    """The workspace's inventory settings (created with the defaults when missing)."""
    settings_row, _created = InventorySettings.objects.get_or_create(id=1)
    return settings_row


# --- Products ----------------------------------------------------------------------------------


def _products() -> QuerySet[Product]:
    return Product.objects.select_related("category", "preferred_supplier")


def product_get(*, product_id, user) -> Product:
    """A product of this workspace by id (any signed-in member may see the catalogue)."""
    return object_get(_products(), product_id, user=user, perm=Perm.RECORD_SALES)


def product_get_by_code(*, code: str, user) -> Product:
    """An active product by SKU or barcode, as a scanner or the POS search box gives it."""
    code = (code or "").strip()
    if not code or not has_perm(user, Perm.RECORD_SALES):
        raise NotFound()
    product = _products().filter(Q(sku=code) | Q(barcode=code), is_active=True).first()
    if product is None:
        raise NotFound()
    return product


def product_search_filter(products: QuerySet[Product], search: str, prefix: str = "") -> QuerySet[Product]:
    """Products whose name holds ``search`` ignoring accents and case ("cafe" finds "Café
    molido"), whose SKU starts with it ("AZU" finds AZU-1K) or whose barcode starts with it.
    ``prefix``: the path to the product from the rows filtered ("product__")."""
    search = (search or "").strip()
    if not search:
        return products
    return products.alias(_name_search=Unaccented(f"{prefix}name")).filter(
        Q(_name_search__contains=search_normal(search))
        | Q(**{f"{prefix}sku__istartswith": search})
        | Q(**{f"{prefix}barcode__startswith": search})
    )


def product_list(
    *,
    search: str = "",
    category: Category | None = None,
    active: bool | None = True,
    tracks_stock: bool | None = None,
) -> QuerySet[Product]:
    """Products by name, SKU or barcode; ``category`` includes its sub-categories."""
    products = _products()
    if active is not None:
        products = products.filter(is_active=active)
    if tracks_stock is not None:
        products = products.filter(tracks_stock=tracks_stock)
    if category is not None:
        products = products.filter(category_id__in=category_descendant_ids(category=category))
    products = product_search_filter(products, search)
    return products.order_by("name")


# --- Categories ----------------------------------------------------------------------------------


def category_get(*, category_id, user) -> Category:
    return object_get(
        Category.objects.select_related("parent"), category_id, user=user, perm=Perm.RECORD_SALES
    )


@dataclass(frozen=True)
class CategoryNode:
    category: Category
    depth: int
    path: str  # "Almacén › Infusiones"


def category_tree() -> list[CategoryNode]:
    """Every category in tree order (parents before their children), in one query."""
    categories = list(Category.objects.order_by("name"))
    children: dict[int | None, list[Category]] = {}
    for category in categories:
        children.setdefault(category.parent_id, []).append(category)
    nodes: list[CategoryNode] = []

    def walk(parent_id, depth, prefix):
        for category in children.get(parent_id, []):
            path = f"{prefix} › {category.name}" if prefix else category.name
            nodes.append(CategoryNode(category, depth, path))
            walk(category.pk, depth + 1, path)

    walk(None, 0, "")
    return nodes


def category_descendant_ids(*, category: Category) -> list[int]:
    """``category`` and every category below it (one query)."""
    parents = dict(Category.objects.values_list("pk", "parent_id"))
    found, frontier = {category.pk}, {category.pk}
    while frontier:
        frontier = {pk for pk, parent in parents.items() if parent in frontier and pk not in found}
        found |= frontier
    return sorted(found)


# --- Locations and suppliers ---------------------------------------------------------------------


def location_get(*, location_id, user) -> Location:
    return object_get(Location.objects.all(), location_id, user=user, perm=Perm.RECORD_SALES)


def location_list(*, active: bool | None = True) -> QuerySet[Location]:
    locations = Location.objects.all()
    if active is not None:
        locations = locations.filter(is_active=active)
    return locations.order_by("name")


def supplier_get(*, supplier_id, user) -> Supplier:
    return object_get(Supplier.objects.all(), supplier_id, user=user, perm=Perm.MANAGE_SUPPLIER_INVOICES)


def supplier_list(*, active: bool | None = True, search: str = "") -> QuerySet[Supplier]:
    suppliers = Supplier.objects.all()
    if active is not None:
        suppliers = suppliers.filter(is_active=active)
    return supplier_search_filter(suppliers, search).order_by("name")


def supplier_search_filter(suppliers: QuerySet[Supplier], search: str) -> QuerySet[Supplier]:
    """Suppliers whose name holds ``search`` ignoring accents and case, or with that tax ID."""
    search = (search or "").strip()
    if not search:
        return suppliers
    return suppliers.alias(_name_search=Unaccented("name")).filter(
        Q(_name_search__contains=search_normal(search)) | Q(tax_id=search)
    )
