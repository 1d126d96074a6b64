"""Catalogue, stock, purchasing, quotes, expenses, dashboard and team over the API."""

from decimal import Decimal

from django.utils import timezone

from accounts.models import Invitation
from inventory.models import Expense, Product, PurchaseOrder, Quote, StockLevel, Transfer
from tests.inventory.factories import ExpenseCategoryFactory, LocationFactory, SupplierFactory


def test_admin_creates_and_updates_a_product_and_staff_may_not(api_for, tokens, alpha):
    body = {"sku": "MAT-1", "name": "Mate", "sale_price": "1500.00", "tax_rate": "21"}
    assert api_for(tokens["staff"]).post("/api/v1/products/", body, format="json").status_code == 403
    assert not Product.objects.filter(sku="MAT-1").exists()
    created = api_for(tokens["admin"]).post("/api/v1/products/", body, format="json")
    assert created.status_code == 201
    product_id = created.json()["id"]
    duplicate = api_for(tokens["admin"]).post("/api/v1/products/", body, format="json")
    assert duplicate.status_code == 400 and "sku" in duplicate.json()["fields"]
    patched = api_for(tokens["admin"]).patch(
        f"/api/v1/products/{product_id}/", {"sale_price": "1600"}, format="json"
    )
    assert patched.status_code == 200 and patched.json()["sale_price"] == "1600.00"


def test_stock_adjustment_and_transfer(api_for, tokens, stocked, store):
    client = api_for(tokens["admin"])
    adjusted = client.post(
        "/api/v1/stock-adjustments/",
        {"product": stocked.pk, "location": store.pk, "quantity": "-2", "reason": "rotura"},
        format="json",
    )
    assert adjusted.status_code == 201 and adjusted.json()["kind"] == "adjustment"
    warehouse = LocationFactory(name="Depósito")
    sent = client.post(
        "/api/v1/transfers/",
        {
            "origin": store.pk,
            "destination": warehouse.pk,
            "lines": [{"product": stocked.pk, "quantity": "3"}],
        },
        format="json",
    )
    assert sent.status_code == 201
    received = client.post(f"/api/v1/transfers/{sent.json()['id']}/receive/")
    assert received.status_code == 200 and received.json()["status"] == Transfer.Status.RECEIVED
    assert StockLevel.objects.get(product=stocked, location=store).on_hand == Decimal(5)
    assert StockLevel.objects.get(product=stocked, location=warehouse).on_hand == Decimal(3)
    assert api_for(tokens["staff"]).get("/api/v1/stock-movements/").status_code == 403


def test_purchase_order_is_created_and_received(api_for, tokens, product, store):
    supplier = SupplierFactory()
    client = api_for(tokens["admin"])
    created = client.post(
        "/api/v1/purchase-orders/",
        {
            "supplier": supplier.pk,
            "location": store.pk,
            "lines": [{"product": product.pk, "quantity": "12", "unit_cost": "1800"}],
        },
        format="json",
    )
    assert created.status_code == 201
    order = created.json()
    early = client.post(f"/api/v1/purchase-orders/{order['id']}/receive/", {}, format="json")
    assert early.status_code == 409 and early.json()["code"] == "invalid_status"
    sent = client.post(
        f"/api/v1/purchase-orders/{order['id']}/send/", {"notify_supplier": False}, format="json"
    )
    assert sent.status_code == 200 and sent.json()["status"] == PurchaseOrder.Status.SENT
    line_id = sent.json()["lines"][0]["id"]
    partial = client.post(
        f"/api/v1/purchase-orders/{order['id']}/receive/",
        {"lines": [{"line": line_id, "quantity": "5"}]},
        format="json",
    )
    assert partial.status_code == 200 and partial.json()["status"] == PurchaseOrder.Status.PARTIALLY_RECEIVED
    rest = client.post(f"/api/v1/purchase-orders/{order['id']}/receive/", {}, format="json")
    assert rest.status_code == 200 and rest.json()["status"] == PurchaseOrder.Status.RECEIVED
    assert StockLevel.objects.get(product=product, location=store).on_hand == Decimal(12)


def test_quote_is_created_by_staff_and_converted_by_admin(api_for, tokens, stocked, store):
    created = api_for(tokens["staff"]).post(
        "/api/v1/quotes/",
        {"location": store.pk, "lines": [{"product": stocked.pk, "quantity": "2"}], "customer_name": "Ana"},
        format="json",
    )
    assert created.status_code == 201
    quote_id = created.json()["id"]
    assert (
        api_for(tokens["staff"]).post(f"/api/v1/quotes/{quote_id}/convert/", {}, format="json").status_code
        == 403
    )
    converted = api_for(tokens["admin"]).post(f"/api/v1/quotes/{quote_id}/convert/", {}, format="json")
    assert converted.status_code == 201 and converted.json()["total"] == "6400.00"
    assert Quote.objects.get(pk=quote_id).status == Quote.Status.CONVERTED


def test_expenses_and_dashboard_need_the_balance_permission(api_for, tokens, alpha):
    category = ExpenseCategoryFactory()
    body = {"date": timezone.localdate().isoformat(), "amount": "500", "category": category.pk}
    assert api_for(tokens["staff"]).post("/api/v1/expenses/", body, format="json").status_code == 403
    created = api_for(tokens["admin"]).post("/api/v1/expenses/", body, format="json")
    assert created.status_code == 201 and Expense.objects.count() == 1
    dashboard = api_for(tokens["owner"]).get("/api/v1/dashboard/")
    assert dashboard.status_code == 200 and set(dashboard.json()["figures"]) >= {"income", "balance"}
    assert api_for(tokens["staff"]).get("/api/v1/dashboard/").status_code == 403


def test_only_the_owner_lists_users_and_invites(
    api_for, tokens, team, alpha, django_capture_on_commit_callbacks
):
    assert api_for(tokens["admin"]).get("/api/v1/users/").status_code == 403
    users = api_for(tokens["owner"]).get("/api/v1/users/")
    assert users.status_code == 200 and len(users.json()["results"]) == len(team)
    body = {"email": "nueva@alpha.test", "role": "staff"}
    assert api_for(tokens["admin"]).post("/api/v1/invitations/", body, format="json").status_code == 403
    with django_capture_on_commit_callbacks(execute=False):
        invited = api_for(tokens["owner"]).post("/api/v1/invitations/", body, format="json")
    assert invited.status_code == 201 and invited.json()["status"] == "pending"
    assert Invitation.objects.filter(email="nueva@alpha.test").exists()
