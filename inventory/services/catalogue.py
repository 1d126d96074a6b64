"""Writes to the catalogue (categories, products, suppliers) and locations.

These services take no user: the screens that call them are guarded by MANAGE_PRODUCTS (and
MANAGE_SUPPLIER_INVOICES for suppliers). Field problems (a duplicate SKU, a bad barcode, an image
that is too big) raise ``ValidationError`` keyed by field, for forms to show.
"""

from decimal import Decimal

from django.db import connection, transaction
from django.utils.translation import gettext as _

from inventory.exceptions import InvalidInput
from inventory.models import Category, Location, Product, StockLevel, Supplier
from inventory.models.fields import ZERO
from tenants.limits import workspace_limit_check

_UNSET = object()


def _limit_lock(resource: str) -> None:
    """Serialise creations that count against one plan limit in this workspace, so two at once
    cannot both pass the last free place (transaction-scoped advisory lock)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtext(%s))", [f"{connection.schema_name}:inventory:{resource}"]
        )


def _location_limit_check() -> None:
    _limit_lock("locations")
    workspace_limit_check(resource="locations", current=Location.objects.filter(is_active=True).count())


def _product_limit_check() -> None:
    _limit_lock("products")
    workspace_limit_check(resource="products", current=Product.objects.filter(is_active=True).count())


def location_create(*, name: str, kind: str = Location.Kind.STORE) -> Location:
    """Create a place that keeps or sells stock. Active locations count against the plan's limit."""
    location = Location(name=(name or "").strip(), kind=kind)
    location.full_clean()
    with transaction.atomic():
        _location_limit_check()
        location.save()
    return location


def location_update(
    *, location: Location, name=_UNSET, kind=_UNSET, is_active=_UNSET, address=_UNSET, phone=_UNSET
) -> Location:
    """Rename, re-kind, (de)activate a location or change what customers are told (address,
    phone); reactivating counts against the plan's limit."""
    was_active = location.is_active
    changed = _assign(location, name=name, kind=kind, is_active=is_active, address=address, phone=phone)
    if "name" in changed:
        location.name = location.name.strip()
    location.full_clean()
    with transaction.atomic():
        if location.is_active and not was_active:
            _location_limit_check()
        location.save(update_fields=[*changed, "updated_at"])
    return location


def _assign(instance, **values) -> list[str]:
    changed = []
    for field, value in values.items():
        if value is not _UNSET:
            setattr(instance, field, value)
            changed.append(field)
    return changed


# --- Categories ----------------------------------------------------------------------------------


def category_create(*, name: str, parent: Category | None = None) -> Category:
    """A category, at the top or inside ``parent``; names are unique among siblings."""
    category = Category(name=(name or "").strip(), parent=parent)
    category.full_clean()
    category.save()
    return category


def category_update(*, category: Category, name=_UNSET, parent=_UNSET) -> Category:
    """Rename or move a category; it may not end up inside itself."""
    if parent is not _UNSET and parent is not None:
        ancestor = parent
        while ancestor is not None:
            if ancestor.pk == category.pk:
                raise InvalidInput(_("A category cannot be placed inside itself."))
            ancestor = ancestor.parent
    changed = _assign(category, name=name, parent=parent)
    if "name" in changed:
        category.name = category.name.strip()
    category.full_clean()
    category.save(update_fields=[*changed, "updated_at"])
    return category


# --- Products --------------------------------------------------------------------------------------


PRODUCT_FIELDS = (
    "sku",
    "barcode",
    "name",
    "category",
    "unit",
    "sale_price",
    "cost",
    "tax_rate",
    "tracks_stock",
    "is_active",
    "image",
    "min_stock",
    "preferred_supplier",
    "lead_time_days",
    "pack_size",
)


def product_create(
    *,
    sku: str,
    name: str,
    sale_price: Decimal,
    cost: Decimal = ZERO,
    tracks_stock: bool = True,
    barcode: str = "",
    category: Category | None = None,
    unit: str = Product.Unit.UNIT,
    tax_rate: Decimal = ZERO,
    is_active: bool = True,
    image=None,
    min_stock: Decimal = ZERO,
    preferred_supplier: Supplier | None = None,
    lead_time_days: int = 0,
    pack_size: Decimal = Decimal(1),
) -> Product:
    """Add a product to the catalogue. Active products count against the plan's limit
    (PlanLimitReached); field problems raise ValidationError."""
    product = Product(
        sku=(sku or "").strip(),
        name=(name or "").strip(),
        sale_price=sale_price,
        cost=cost,
        tracks_stock=tracks_stock,
        barcode=(barcode or "").strip(),
        category=category,
        unit=unit,
        tax_rate=tax_rate,
        is_active=is_active,
        min_stock=min_stock,
        preferred_supplier=preferred_supplier,
        lead_time_days=lead_time_days,
        pack_size=pack_size,
    )
    if image:
        product.image = image
    product.full_clean()
    with transaction.atomic():
        if product.is_active:
            _product_limit_check()
        product.save()
    return product


def product_update(*, product: Product, **fields) -> Product:
    """Change a product's fields (any of PRODUCT_FIELDS). Reactivating counts against the plan's
    limit; a product cannot stop holding stock while it still has some."""
    unknown = set(fields) - set(PRODUCT_FIELDS)
    if unknown:
        raise TypeError(f"product_update() got unexpected fields: {', '.join(sorted(unknown))}")
    was_active, tracked = product.is_active, product.tracks_stock
    for field, value in fields.items():
        if field in ("sku", "name", "barcode") and isinstance(value, str):
            value = value.strip()
        setattr(product, field, value)
    product.full_clean()
    with transaction.atomic():
        if tracked and not product.tracks_stock:
            if StockLevel.objects.filter(product=product).exclude(on_hand=0).exists():
                raise InvalidInput(
                    _("%(product)s still has stock; bring it to zero before it stops holding stock.")
                    % {"product": product.name}
                )
        if product.is_active and not was_active:
            _product_limit_check()
        product.save(update_fields=[*fields, "updated_at"])
    return product


# --- Suppliers -------------------------------------------------------------------------------------

SUPPLIER_FIELDS = ("name", "tax_id", "contact_name", "email", "phone", "address", "note", "is_active")


def supplier_create(
    *,
    name: str,
    email: str = "",
    phone: str = "",
    tax_id: str = "",
    contact_name: str = "",
    address: str = "",
    note: str = "",
) -> Supplier:
    supplier = Supplier(
        name=(name or "").strip(),
        email=(email or "").strip(),
        phone=(phone or "").strip(),
        tax_id=(tax_id or "").strip(),
        contact_name=(contact_name or "").strip(),
        address=(address or "").strip(),
        note=note or "",
    )
    supplier.full_clean()
    supplier.save()
    return supplier


def supplier_update(*, supplier: Supplier, **fields) -> Supplier:
    unknown = set(fields) - set(SUPPLIER_FIELDS)
    if unknown:
        raise TypeError(f"supplier_update() got unexpected fields: {', '.join(sorted(unknown))}")
    for field, value in fields.items():
        setattr(supplier, field, value.strip() if isinstance(value, str) and field != "note" else value)
    supplier.full_clean()
    supplier.save(update_fields=[*fields, "updated_at"])
    return supplier
