"""Another workspace's objects are unreachable by id, and another role's are treated as missing."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.models import User
from inventory.exceptions import NotFound
from inventory.models import Product, PurchaseOrder, Quote, Sale
from inventory.selectors import (
    expense_get,
    location_get,
    product_get,
    product_get_by_code,
    purchase_order_get,
    quote_get,
    sale_get,
    stock_count_get,
    supplier_get,
    transfer_get,
)
from inventory.services import (
    PurchaseLineInput,
    SaleLineInput,
    TransferLineInput,
    expense_create,
    purchase_order_create,
    quote_create,
    sale_create,
    stock_count_create,
    transfer_send,
)
from tests.conftest import in_schema
from tests.inventory.factories import ExpenseCategoryFactory, SupplierFactory


@pytest.fixture
def alpha_documents(stocked, store, warehouse, owner):
    """One of each kind of document in alpha, as {selector: (id argument, id)}."""
    supplier = SupplierFactory()
    sale = sale_create(location=store, seller=owner, lines=[SaleLineInput(stocked, 1)])
    quote = quote_create(location=store, user=owner, lines=[SaleLineInput(stocked, 1)])
    order = purchase_order_create(
        supplier=supplier, location=store, user=owner, lines=[PurchaseLineInput(stocked, 1)]
    )
    transfer = transfer_send(
        origin=store, destination=warehouse, lines=[TransferLineInput(stocked, 1)], user=owner
    )
    count = stock_count_create(location=warehouse, user=owner)
    expense = expense_create(
        user=owner, date=sale.created_at.date(), amount=Decimal("10"), category=ExpenseCategoryFactory()
    )
    return {
        product_get: ("product_id", stocked.pk),
        location_get: ("location_id", store.pk),
        supplier_get: ("supplier_id", supplier.pk),
        sale_get: ("sale_id", sale.pk),
        quote_get: ("quote_id", quote.pk),
        purchase_order_get: ("purchase_order_id", order.pk),
        transfer_get: ("transfer_id", transfer.pk),
        stock_count_get: ("stock_count_id", count.pk),
        expense_get: ("expense_id", expense.pk),
    }


def test_alpha_ids_are_found_in_alpha(alpha_documents, owner):
    for selector, (argument, object_id) in alpha_documents.items():
        assert selector(**{argument: object_id, "user": owner}).pk == object_id
        assert selector(**{argument: str(object_id), "user": owner}).pk == object_id


def test_alpha_ids_are_not_found_in_beta(alpha_documents, workspaces):
    with in_schema(workspaces.beta):
        beta_owner = User.objects.get(email="owner@beta.test")
        for selector, (argument, object_id) in alpha_documents.items():
            with pytest.raises(NotFound):
                selector(**{argument: object_id, "user": beta_owner})
        with pytest.raises(NotFound):
            product_get_by_code(code="YER-500", user=beta_owner)
        assert not Product.objects.exists()
        assert not Sale.objects.exists()


def test_beta_sees_only_its_own_rows_with_the_same_ids(alpha_documents, workspaces):
    with in_schema(workspaces.beta):
        beta_owner = User.objects.get(email="owner@beta.test")
        own = Product.objects.create(sku="BETA-1", name="Producto de Beta", sale_price=1)
        found = product_get(product_id=own.pk, user=beta_owner)
        assert found.sku == "BETA-1"


def test_roles_without_the_permission_get_not_found(alpha_documents, staff):
    allowed = {product_get, location_get, sale_get, quote_get}
    for selector, (argument, object_id) in alpha_documents.items():
        if selector in allowed:
            assert selector(**{argument: object_id, "user": staff}).pk == object_id
        else:
            with pytest.raises(NotFound):
                selector(**{argument: object_id, "user": staff})


@pytest.mark.parametrize("bad_id", [None, "", "abc", "1; DROP TABLE", 10**12])
def test_ids_that_are_not_ids_are_not_found(alpha_documents, owner, bad_id):
    with pytest.raises(NotFound):
        sale_get(sale_id=bad_id, user=owner)


def test_anonymous_users_find_nothing(alpha_documents):
    with pytest.raises(NotFound):
        product_get(product_id=alpha_documents[product_get][1], user=AnonymousUser())
    assert PurchaseOrder.objects.exists() and Quote.objects.exists()
