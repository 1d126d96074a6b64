"""The catalogue screens (products, categories, locations), and for every catalogue, stock and
purchasing screen: the role table, another workspace's session refused, another workspace's ids 404."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from accounts.models import User
from accounts.permissions import ROLE_PERMISSIONS, Perm
from inventory.models import Category, Location, Product, PurchaseOrder, Quote, StockCount, Transfer
from inventory.services import (
    PurchaseLineInput,
    SaleLineInput,
    TransferLineInput,
    purchase_order_create,
    quote_create,
    stock_count_create,
    stock_receive,
    transfer_send,
)
from plans.models import Plan
from tenants.models import Tenant
from tests.conftest import in_schema
from tests.inventory.factories import (
    CategoryFactory,
    ExpenseCategoryFactory,
    LocationFactory,
    ProductFactory,
    SupplierFactory,
)

SIGN_IN_BACKEND = "django.contrib.auth.backends.ModelBackend"
LOGIN_PATH = "/accounts/login/"


def web_client(client_for, tenant, user, *, language="en"):
    """A client on ``tenant``'s host signed in as ``user`` (the session lives in that schema)."""
    client = client_for(tenant)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with in_schema(tenant):
        client.force_login(user, backend=SIGN_IN_BACKEND)
    return client


def form_errors_text(response) -> str:
    return response.content.decode()


def bump_sequences(tenant, *tables, past):
    """Move ``tenant``'s id sequences past every id ``past`` (another workspace) has given, so an id
    created in ``tenant`` names nothing there (each schema has its own sequences, which could
    otherwise coincide). Sequences are not rows: nothing is left behind."""
    last_ids = {}
    with in_schema(past), connection.cursor() as cursor:
        for table in tables:
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            (sequence,) = cursor.fetchone()
            cursor.execute(f"SELECT last_value FROM {sequence}")  # a name Postgres gave, not input
            last_ids[table] = cursor.fetchone()[0]
    with in_schema(tenant), connection.cursor() as cursor:
        for table, last_id in last_ids.items():
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                "GREATEST(nextval(pg_get_serial_sequence(%s, 'id')), %s + 1))",
                [table, table, last_id],
            )


@pytest.fixture
def documents(alpha, owner, store, warehouse, stocked):
    """One of everything the detail and action screens take an id of, in alpha."""
    supplier = SupplierFactory()
    return {
        "product": stocked,
        "category": CategoryFactory(),
        "location": store,
        "supplier": supplier,
        "order": purchase_order_create(
            supplier=supplier, location=store, user=owner, lines=[PurchaseLineInput(stocked, Decimal(5))]
        ),
        "quote": quote_create(location=store, user=owner, lines=[SaleLineInput(stocked, Decimal(1))]),
        "transfer": transfer_send(
            origin=store, destination=warehouse, lines=[TransferLineInput(stocked, Decimal(1))], user=owner
        ),
        "count": stock_count_create(location=warehouse, user=owner),
        "expense_category": ExpenseCategoryFactory(),
    }


# (URL name, the document whose id it takes and its URL keyword, method, permission; None: any
# signed-in member).
VIEWS = [
    ("product_list", None, "get", None),
    ("product_create", None, "get", Perm.MANAGE_PRODUCTS),
    ("product_update", ("product", "product_id"), "get", Perm.MANAGE_PRODUCTS),
    ("category_list", None, "get", None),
    ("category_create", None, "get", Perm.MANAGE_PRODUCTS),
    ("category_update", ("category", "category_id"), "get", Perm.MANAGE_PRODUCTS),
    ("location_list", None, "get", None),
    ("location_create", None, "get", Perm.MANAGE_PRODUCTS),
    ("location_update", ("location", "location_id"), "get", Perm.MANAGE_PRODUCTS),
    ("stock_level_list", None, "get", None),
    ("stock_movement_list", None, "get", Perm.MANAGE_STOCK),
    ("stock_adjust", None, "get", Perm.MANAGE_STOCK),
    ("transfer_list", None, "get", Perm.MANAGE_STOCK),
    ("transfer_create", None, "get", Perm.MANAGE_STOCK),
    ("transfer_detail", ("transfer", "transfer_id"), "get", Perm.MANAGE_STOCK),
    ("transfer_receive", ("transfer", "transfer_id"), "post", Perm.MANAGE_STOCK),
    ("stock_count_list", None, "get", Perm.MANAGE_STOCK),
    ("stock_count_create", None, "get", Perm.MANAGE_STOCK),
    ("stock_count_detail", ("count", "stock_count_id"), "get", Perm.MANAGE_STOCK),
    ("stock_count_post", ("count", "stock_count_id"), "post", Perm.MANAGE_STOCK),
    ("stock_count_cancel", ("count", "stock_count_id"), "post", Perm.MANAGE_STOCK),
    ("supplier_list", None, "get", Perm.MANAGE_SUPPLIER_INVOICES),
    ("supplier_create", None, "get", Perm.MANAGE_SUPPLIER_INVOICES),
    ("supplier_update", ("supplier", "supplier_id"), "get", Perm.MANAGE_SUPPLIER_INVOICES),
    ("purchase_order_list", None, "get", Perm.MANAGE_SUPPLIER_INVOICES),
    ("purchase_order_create", None, "get", Perm.MANAGE_SUPPLIER_INVOICES),
    ("purchase_order_detail", ("order", "purchase_order_id"), "get", Perm.MANAGE_SUPPLIER_INVOICES),
    ("purchase_order_print", ("order", "purchase_order_id"), "get", Perm.MANAGE_SUPPLIER_INVOICES),
    ("purchase_order_send", ("order", "purchase_order_id"), "post", Perm.MANAGE_SUPPLIER_INVOICES),
    ("purchase_order_receive", ("order", "purchase_order_id"), "post", Perm.MANAGE_SUPPLIER_INVOICES),
    ("purchase_order_close", ("order", "purchase_order_id"), "post", Perm.MANAGE_SUPPLIER_INVOICES),
    ("purchase_order_cancel", ("order", "purchase_order_id"), "post", Perm.MANAGE_SUPPLIER_INVOICES),
    ("quote_list", None, "get", Perm.CREATE_QUOTES),
    ("quote_create", None, "get", Perm.CREATE_QUOTES),
    ("quote_detail", ("quote", "quote_id"), "get", Perm.CREATE_QUOTES),
    ("quote_convert", ("quote", "quote_id"), "post", Perm.CONVERT_QUOTES),
    ("quote_cancel", ("quote", "quote_id"), "post", Perm.CREATE_QUOTES),
    ("expense_list", None, "get", Perm.MANAGE_SUPPLIER_INVOICES),
    ("expense_create", None, "get", Perm.MANAGE_SUPPLIER_INVOICES),
    ("expense_category_list", None, "get", Perm.MANAGE_SUPPLIER_INVOICES),
    ("expense_category_create", None, "get", Perm.MANAGE_SUPPLIER_INVOICES),
]
DETAIL_VIEWS = [view for view in VIEWS if view[1] is not None]


def url_of(name, target, objects, *, object_id=None):
    if target is None:
        return reverse(f"workspace:{name}")
    document, keyword = target
    return reverse(f"workspace:{name}", kwargs={keyword: object_id or objects[document].pk})


def call(client, method, url):
    return client.post(url) if method == "post" else client.get(url)


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(LOGIN_PATH)


@pytest.mark.parametrize(("name", "target", "method", "perm"), VIEWS, ids=[view[0] for view in VIEWS])
def test_each_screen_follows_the_role_table(
    client_for, workspaces, documents, owner, admin, staff, name, target, method, perm
):
    url = url_of(name, target, documents)

    assert is_login_redirect(call(client_for(workspaces.alpha), method, url))  # anonymous
    for user in (owner, admin, staff):
        response = call(web_client(client_for, workspaces.alpha, user), method, url)
        allowed = perm is None or perm in ROLE_PERMISSIONS[user.role]
        if allowed:
            assert response.status_code in (200, 302), (user.role, response.status_code)
            assert not is_login_redirect(response)
        else:
            assert response.status_code == 403, (user.role, response.status_code)


def test_the_role_table_covers_every_role():
    assert {User.Role.OWNER, User.Role.ADMIN, User.Role.STAFF, User.Role.TEACHER} == set(ROLE_PERMISSIONS)


@pytest.mark.parametrize(("name", "target", "method", "perm"), VIEWS, ids=[view[0] for view in VIEWS])
def test_another_workspaces_session_is_refused(client_for, workspaces, documents, name, target, method, perm):
    url = url_of(name, target, documents)
    with in_schema(workspaces.beta):
        beta_owner = User.objects.get(email="owner@beta.test")
    beta_client = web_client(client_for, workspaces.beta, beta_owner)
    alpha_client = client_for(workspaces.alpha)
    alpha_client.cookies = beta_client.cookies  # the beta session cookie, presented on alpha's host

    response = call(alpha_client, method, url)

    assert is_login_redirect(response)


@pytest.fixture
def beta_documents(workspaces, documents):
    """The same kinds of documents in beta, with ids that name nothing in alpha."""
    bump_sequences(
        workspaces.beta,
        "inventory_product",
        "inventory_category",
        "inventory_location",
        "inventory_supplier",
        "inventory_purchaseorder",
        "inventory_quote",
        "inventory_transfer",
        "inventory_stockcount",
        past=workspaces.alpha,
    )
    with in_schema(workspaces.beta):
        beta_owner = User.objects.get(email="owner@beta.test")
        store, other = LocationFactory(), LocationFactory()
        product = ProductFactory()
        stock_receive(product=product, location=store, quantity=5, user=beta_owner)
        supplier = SupplierFactory()
        found = {
            "product": product,
            "category": CategoryFactory(),
            "location": store,
            "supplier": supplier,
            "order": purchase_order_create(
                supplier=supplier,
                location=store,
                user=beta_owner,
                lines=[PurchaseLineInput(product, Decimal(1))],
            ),
            "quote": quote_create(
                location=store, user=beta_owner, lines=[SaleLineInput(product, Decimal(1))]
            ),
            "transfer": transfer_send(
                origin=store,
                destination=other,
                lines=[TransferLineInput(product, Decimal(1))],
                user=beta_owner,
            ),
            "count": stock_count_create(location=other, user=beta_owner),
        }
    return found


@pytest.mark.parametrize(
    ("name", "target", "method", "perm"), DETAIL_VIEWS, ids=[view[0] for view in DETAIL_VIEWS]
)
def test_another_workspaces_ids_are_not_found(
    client_for, workspaces, documents, beta_documents, owner, name, target, method, perm
):
    document, _keyword = target
    url = url_of(name, target, documents, object_id=beta_documents[document].pk)
    with in_schema(workspaces.alpha):
        model = type(documents[document])
        assert not model.objects.filter(pk=beta_documents[document].pk).exists()
        client = web_client(client_for, workspaces.alpha, owner)

    response = call(client, method, url)

    assert response.status_code == 404
    with in_schema(workspaces.beta):  # and beta's document is untouched
        fresh = type(beta_documents[document]).objects.get(pk=beta_documents[document].pk)
        if hasattr(fresh, "status"):
            assert fresh.status == beta_documents[document].status


# --- Products ------------------------------------------------------------------------------------


def product_data(**overrides):
    data = {
        "sku": "MAT-001",
        "barcode": "7790387000122",
        "name": "Mate de calabaza",
        "category": "",
        "unit": Product.Unit.UNIT,
        "sale_price": "4500.00",
        "cost": "2500.00",
        "tax_rate": "21",
        "tracks_stock": "on",
        "is_active": "on",
        "min_stock": "3",
        "preferred_supplier": "",
        "lead_time_days": "7",
        "pack_size": "6",
    }
    data.update(overrides)
    return data


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (400, 400), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def test_product_create_saves_every_field_with_the_image(client_for, alpha, owner):
    category = CategoryFactory(name="Bazar")
    supplier = SupplierFactory(name="Calabazas SA")
    client = web_client(client_for, alpha, owner)
    image = SimpleUploadedFile("mate.png", png_bytes(), content_type="image/png")

    response = client.post(
        reverse("workspace:product_create"),
        product_data(category=category.pk, preferred_supplier=supplier.pk, image=image),
    )

    assert response.status_code == 302
    product = Product.objects.get(sku="MAT-001")
    assert (product.name, product.category, product.preferred_supplier) == (
        "Mate de calabaza",
        category,
        supplier,
    )
    assert (
        product.sale_price,
        product.cost,
        product.min_stock,
        product.pack_size,
        product.lead_time_days,
    ) == (
        Decimal("4500.00"),
        Decimal("2500.00"),
        Decimal("3"),
        Decimal("6"),
        7,
    )
    assert product.barcode == "7790387000122"
    assert product.image.name.startswith("alpha/products/")
    product.image.delete(save=False)


def test_product_create_past_the_plan_limit_shows_the_message_and_saves_nothing(client_for, alpha, owner):
    Tenant.objects.filter(schema_name="alpha").update(plan=Plan.objects.get(code="free"))
    ProductFactory.create_batch(25)
    client = web_client(client_for, alpha, owner)

    response = client.post(reverse("workspace:product_create"), product_data())

    assert response.status_code == 400
    assert "Your plan allows 25 products; upgrade to Básico for 100." in response.content.decode()
    assert not Product.objects.filter(sku="MAT-001").exists()


def test_product_create_with_a_duplicate_sku_shows_the_field_error(client_for, alpha, owner):
    ProductFactory(sku="MAT-001")
    client = web_client(client_for, alpha, owner)

    response = client.post(reverse("workspace:product_create"), product_data(barcode=""))

    assert response.status_code == 400
    assert 'data-field="sku"' in response.content.decode()
    assert Product.objects.filter(sku="MAT-001").count() == 1


def test_product_form_errors_are_shown_in_spanish(client_for, alpha, owner):
    client = web_client(client_for, alpha, owner, language="es")

    response = client.post(reverse("workspace:product_create"), product_data(barcode="123"))

    assert response.status_code == 400
    assert 'data-field="barcode"' in response.content.decode()
    assert not Product.objects.filter(sku="MAT-001").exists()


def test_product_update_changes_only_what_was_edited(client_for, alpha, owner, product):
    client = web_client(client_for, alpha, owner)

    response = client.post(
        reverse("workspace:product_update", args=[product.pk]),
        product_data(
            sku=product.sku, name="Yerba mate 1 kg", barcode="", sale_price="6000", cost="2000", min_stock="8"
        ),
    )

    assert response.status_code == 302
    product.refresh_from_db()
    assert (product.name, product.sale_price, product.min_stock) == (
        "Yerba mate 1 kg",
        Decimal("6000"),
        Decimal("8"),
    )


def test_staff_reads_the_catalogue_without_edit_links(client_for, alpha, staff, product):
    response = web_client(client_for, alpha, staff).get(reverse("workspace:product_list"))

    assert response.status_code == 200
    assert product.name in response.content.decode()
    assert reverse("workspace:product_update", args=[product.pk]) not in response.content.decode()
    assert reverse("workspace:product_create") not in response.content.decode()


def test_product_list_filters_by_category_including_sub_categories(client_for, alpha, owner):
    food = CategoryFactory(name="Almacén")
    tea = CategoryFactory(name="Infusiones", parent=food)
    ProductFactory(name="Té verde", category=tea)
    ProductFactory(name="Martillo")
    client = web_client(client_for, alpha, owner)

    text = client.get(reverse("workspace:product_list"), {"category": food.pk}).content.decode()

    assert "Té verde" in text
    assert "Martillo" not in text


def test_product_list_filters_inactive_and_stockless(client_for, alpha, owner):
    ProductFactory(name="Retirado", is_active=False)
    ProductFactory(name="Clase de yoga", tracks_stock=False)
    ProductFactory(name="Yerba")
    client = web_client(client_for, alpha, owner)

    active = client.get(reverse("workspace:product_list")).content.decode()
    inactive = client.get(reverse("workspace:product_list"), {"active": "no"}).content.decode()
    services = client.get(
        reverse("workspace:product_list"), {"active": "", "tracks_stock": "no"}
    ).content.decode()

    assert "Retirado" not in active and "Yerba" in active
    assert "Retirado" in inactive and "Yerba" not in inactive
    assert "Clase de yoga" in services and "Yerba" not in services


def test_product_list_searches_by_sku_and_barcode(client_for, alpha, owner):
    ProductFactory(name="Yerba", sku="YER-1", barcode="7790387000122")
    ProductFactory(name="Azúcar", sku="AZU-1")
    client = web_client(client_for, alpha, owner)

    by_sku = client.get(reverse("workspace:product_list"), {"q": "yer-1"}).content.decode()
    by_barcode = client.get(reverse("workspace:product_list"), {"q": "7790387000122"}).content.decode()

    assert "Yerba" in by_sku and "Azúcar" not in by_sku
    assert "Yerba" in by_barcode and "Azúcar" not in by_barcode


# --- Categories and locations ----------------------------------------------------------------------


def test_categories_nest_and_list_as_a_tree(client_for, alpha, owner):
    client = web_client(client_for, alpha, owner)
    client.post(reverse("workspace:category_create"), {"name": "Almacén", "parent": ""})
    food = Category.objects.get(name="Almacén")

    response = client.post(reverse("workspace:category_create"), {"name": "Infusiones", "parent": food.pk})

    assert response.status_code == 302
    assert Category.objects.get(name="Infusiones").parent == food
    assert "Almacén › Infusiones" in client.get(reverse("workspace:category_list")).content.decode()


def test_a_category_cannot_move_inside_itself(client_for, alpha, owner):
    food = CategoryFactory(name="Almacén")
    tea = CategoryFactory(name="Infusiones", parent=food)
    client = web_client(client_for, alpha, owner)

    response = client.post(
        reverse("workspace:category_update", args=[food.pk]), {"name": "Almacén", "parent": tea.pk}
    )

    assert response.status_code == 400
    assert "A category cannot be placed inside itself." in response.content.decode()
    food.refresh_from_db()
    assert food.parent is None


def test_location_create_past_the_plan_limit_shows_the_message(client_for, alpha, owner):
    Tenant.objects.filter(schema_name="alpha").update(plan=Plan.objects.get(code="free"))
    LocationFactory(name="Local Centro")
    client = web_client(client_for, alpha, owner)

    response = client.post(reverse("workspace:location_create"), {"name": "Sucursal Norte", "kind": "branch"})

    assert response.status_code == 400
    assert "Your plan allows 1 locations; upgrade to Profesional for 2." in response.content.decode()
    assert not Location.objects.filter(name="Sucursal Norte").exists()


def test_location_create_and_deactivate(client_for, alpha, owner):
    client = web_client(client_for, alpha, owner)

    client.post(reverse("workspace:location_create"), {"name": "Depósito Sur", "kind": "warehouse"})
    location = Location.objects.get(name="Depósito Sur")
    response = client.post(
        reverse("workspace:location_update", args=[location.pk]),
        {"name": "Depósito Sur", "kind": "warehouse"},
    )

    assert response.status_code == 302
    location.refresh_from_db()
    assert (location.kind, location.is_active) == (Location.Kind.WAREHOUSE, False)


def test_documents_fixture_is_consistent(documents):
    # Guards the role table: each action view has something to act on.
    assert documents["order"].status == PurchaseOrder.Status.DRAFT
    assert documents["quote"].status == Quote.Status.OPEN
    assert documents["transfer"].status == Transfer.Status.SENT
    assert documents["count"].status == StockCount.Status.DRAFT
    assert documents["quote"].valid_until >= timezone.localdate() - timedelta(days=1)
