"""Forecasts over the API: the series forecasts, the suggestions and a draft order made from them,
on plans with forecasts only."""

from decimal import Decimal

import pytest

from forecasts.models import ReorderSuggestion
from forecasts.services import forecast_run_execute
from inventory.models import PurchaseOrder
from tests.api.conftest import enterprise
from tests.forecasts.conftest import TODAY, history_write
from tests.inventory.factories import LocationFactory, ProductFactory, SupplierFactory


@pytest.fixture
def shop(alpha):
    """A product short of stock at a place, forecast and with its suggestion computed."""
    supplier = SupplierFactory(name="Molino Sur")
    store = LocationFactory(name="Local Sur")
    product = ProductFactory(
        sku="HAR-1",
        name="Harina 1 kg",
        preferred_supplier=supplier,
        lead_time_days=5,
        pack_size=Decimal("12"),
    )
    history_write(product, store, daily=[4.0] * 200, receipts={0: 806.0})  # 6 left
    forecast_run_execute(today=TODAY)
    return {"supplier": supplier, "store": store, "product": product}


def test_forecasts_list_each_series_with_its_accuracy_and_totals(api_for, tokens, shop):
    response = api_for(tokens["admin"]).get("/api/v1/forecasts/", {"product": shop["product"].pk})

    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["product"] == shop["product"].pk and row["location"] == shop["store"].pk
    assert row["product_name"] == "Harina 1 kg" and row["model"]
    assert row["short_history"] is False
    # Out-of-sample accuracy at the grain it was modelled in.
    assert row["grain"] == "week" and len(row["periods"]) == 8 and row["windows"] >= 2
    assert isinstance(row["beats_naive"], bool) and isinstance(row["beats_moving_average"], bool)
    assert row["totals"]["next_7_days"] == pytest.approx(28, rel=0.2)
    assert row["totals"]["next_7_days"] <= row["totals"]["next_28_days"] <= row["totals"]["next_56_days"]
    other = LocationFactory(name="Otro local")
    assert api_for(tokens["admin"]).get("/api/v1/forecasts/", {"location": other.pk}).json()["results"] == []


def test_suggestions_explain_themselves_in_the_callers_language(
    api_for, tokens, shop, django_assert_max_num_queries
):
    client = api_for(tokens["owner"])

    english = client.get(
        "/api/v1/suggestions/", {"supplier": shop["supplier"].pk}, HTTP_ACCEPT_LANGUAGE="en"
    ).json()["results"]
    spanish = client.get(
        "/api/v1/suggestions/", {"location": shop["store"].pk}, HTTP_ACCEPT_LANGUAGE="es"
    ).json()["results"]

    [row] = english
    assert row["supplier"] == shop["supplier"].pk and row["supplier_name"] == "Molino Sur"
    assert row["packs"] > 0 and Decimal(row["quantity"]) == row["packs"] * 12
    assert row["explanation"].startswith("on hand 6, on order 0, expected demand over 5 days of lead time")
    assert spanish[0]["explanation"] != row["explanation"]


def test_suggestion_list_queries_do_not_grow_with_rows(api_for, tokens, shop, django_assert_max_num_queries):
    client = api_for(tokens["owner"])
    client.get("/api/v1/suggestions/")  # warm the per-process caches
    with django_assert_max_num_queries(12) as few:
        client.get("/api/v1/suggestions/")
    for sku in ("HAR-2", "HAR-3", "HAR-4"):
        product = ProductFactory(sku=sku, preferred_supplier=shop["supplier"])
        suggestion = ReorderSuggestion.objects.get(product=shop["product"])
        suggestion.pk, suggestion.product = None, product
        suggestion.save()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get("/api/v1/suggestions/").json()["results"]) == 4


def test_the_suggested_order_is_made_once(api_for, tokens, shop):
    client = api_for(tokens["admin"])
    body = {"supplier": shop["supplier"].pk, "location": shop["store"].pk}

    first = client.post("/api/v1/suggestions/purchase-orders/", body, format="json")
    again = client.post("/api/v1/suggestions/purchase-orders/", body, format="json")

    assert first.status_code == 201, first.content
    assert again.status_code == 200, again.content
    assert first.json()["id"] == again.json()["id"]
    order = PurchaseOrder.objects.get()
    assert order.status == PurchaseOrder.Status.DRAFT
    assert order.lines.get().quantity_ordered % 12 == 0


def test_nothing_to_order_is_a_conflict(api_for, tokens, shop):
    other = SupplierFactory(name="Sin pedidos")
    body = {"supplier": other.pk, "location": shop["store"].pk}
    response = api_for(tokens["owner"]).post("/api/v1/suggestions/purchase-orders/", body, format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "nothing_to_order"


def test_staff_is_refused_and_no_order_is_made(api_for, tokens, shop):
    client = api_for(tokens["staff"])
    body = {"supplier": shop["supplier"].pk, "location": shop["store"].pk}

    assert client.get("/api/v1/forecasts/").status_code == 403
    assert client.get("/api/v1/suggestions/").status_code == 403
    response = client.post("/api/v1/suggestions/purchase-orders/", body, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert not PurchaseOrder.objects.exists()


def test_a_plan_without_forecasts_is_refused(api_for, tokens, shop, workspaces):
    enterprise(workspaces.alpha, has_forecasts=False)
    client = api_for(tokens["owner"])
    body = {"supplier": shop["supplier"].pk, "location": shop["store"].pk}

    for response in (
        client.get("/api/v1/forecasts/"),
        client.get("/api/v1/suggestions/"),
        client.post("/api/v1/suggestions/purchase-orders/", body, format="json"),
    ):
        assert response.status_code == 403, response.content
        assert response.json()["code"] == "plan_without_forecasts"
    assert not PurchaseOrder.objects.exists()
