"""Sales over the API: creation with Idempotency-Key, voids and returns."""

from decimal import Decimal

from inventory.models import Sale, StockLevel


def _sale_body(store, product, quantity="2"):
    return {
        "location": store.pk,
        "lines": [{"product": product.pk, "quantity": quantity}],
        "payment_method": "card",
    }


def test_staff_records_a_sale_and_stock_goes_down(api_for, tokens, stocked, store):
    response = api_for(tokens["staff"]).post("/api/v1/sales/", _sale_body(store, stocked), format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["total"] == "6400.00" and len(body["lines"]) == 1
    assert StockLevel.objects.get(product=stocked, location=store).on_hand == Decimal(8)


def test_the_same_idempotency_key_records_the_sale_once_and_replays_it(api_for, tokens, stocked, store):
    client = api_for(tokens["staff"])
    first = client.post(
        "/api/v1/sales/", _sale_body(store, stocked), format="json", HTTP_IDEMPOTENCY_KEY="pos-1-0001"
    )
    again = client.post(
        "/api/v1/sales/", _sale_body(store, stocked), format="json", HTTP_IDEMPOTENCY_KEY="pos-1-0001"
    )
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Sale.objects.count() == 1
    assert StockLevel.objects.get(product=stocked, location=store).on_hand == Decimal(8)


def test_the_same_key_with_another_body_is_refused_and_nothing_is_sold(api_for, tokens, stocked, store):
    client = api_for(tokens["staff"])
    client.post("/api/v1/sales/", _sale_body(store, stocked), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    response = client.post(
        "/api/v1/sales/", _sale_body(store, stocked, "3"), format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert Sale.objects.count() == 1
    assert StockLevel.objects.get(product=stocked, location=store).on_hand == Decimal(8)


def test_a_refused_sale_keeps_its_key_free_for_the_retry(api_for, tokens, stocked, store):
    client = api_for(tokens["staff"])
    refused = client.post(
        "/api/v1/sales/", _sale_body(store, stocked, "50"), format="json", HTTP_IDEMPOTENCY_KEY="k-2"
    )
    assert refused.status_code == 409
    assert Sale.objects.count() == 0
    retried = client.post(
        "/api/v1/sales/", _sale_body(store, stocked, "50"), format="json", HTTP_IDEMPOTENCY_KEY="k-2"
    )
    assert retried.status_code == 409


def test_admin_voids_a_sale_and_staff_may_not(api_for, tokens, stocked, store):
    sale_id = (
        api_for(tokens["staff"])
        .post("/api/v1/sales/", _sale_body(store, stocked), format="json")
        .json()["id"]
    )
    refused = api_for(tokens["staff"]).post(
        f"/api/v1/sales/{sale_id}/void/", {"reason": "error"}, format="json"
    )
    assert refused.status_code == 403
    assert Sale.objects.get(pk=sale_id).status == Sale.Status.COMPLETED
    voided = api_for(tokens["admin"]).post(
        f"/api/v1/sales/{sale_id}/void/", {"reason": "error"}, format="json"
    )
    assert voided.status_code == 200 and voided.json()["status"] == "voided"
    assert StockLevel.objects.get(product=stocked, location=store).on_hand == Decimal(10)
    twice = api_for(tokens["admin"]).post(
        f"/api/v1/sales/{sale_id}/void/", {"reason": "error"}, format="json"
    )
    assert twice.status_code == 409 and twice.json()["code"] == "invalid_status"


def test_a_partial_return_brings_stock_back(api_for, tokens, stocked, store):
    sale = api_for(tokens["staff"]).post("/api/v1/sales/", _sale_body(store, stocked), format="json").json()
    line_id = sale["lines"][0]["id"]
    client = api_for(tokens["owner"])
    response = client.post(
        f"/api/v1/sales/{sale['id']}/returns/",
        {"reason": "roto", "lines": [{"sale_line": line_id, "quantity": "1"}]},
        format="json",
    )
    assert response.status_code == 201 and response.json()["refund_total"] == "3200.00"
    assert StockLevel.objects.get(product=stocked, location=store).on_hand == Decimal(9)
    too_much = client.post(
        f"/api/v1/sales/{sale['id']}/returns/",
        {"reason": "roto", "lines": [{"sale_line": line_id, "quantity": "5"}]},
        format="json",
    )
    assert too_much.status_code == 409
    unknown = client.post(
        f"/api/v1/sales/{sale['id']}/returns/",
        {"reason": "roto", "lines": [{"sale_line": 999999, "quantity": "1"}]},
        format="json",
    )
    assert unknown.status_code == 400 and "lines" in unknown.json()["fields"]
    assert StockLevel.objects.get(product=stocked, location=store).on_hand == Decimal(9)


def test_a_key_used_by_another_user_is_refused(api_for, tokens, stocked, store):
    api_for(tokens["staff"]).post(
        "/api/v1/sales/", _sale_body(store, stocked), format="json", HTTP_IDEMPOTENCY_KEY="k-3"
    )
    response = api_for(tokens["owner"]).post(
        "/api/v1/sales/", _sale_body(store, stocked), format="json", HTTP_IDEMPOTENCY_KEY="k-3"
    )
    assert response.status_code == 422 and response.json()["code"] == "idempotency_key_reused"
    assert Sale.objects.count() == 1


def test_an_unusable_idempotency_key_is_refused_before_selling(api_for, tokens, stocked, store):
    response = api_for(tokens["staff"]).post(
        "/api/v1/sales/", _sale_body(store, stocked), format="json", HTTP_IDEMPOTENCY_KEY="x" * 256
    )
    assert response.status_code == 400 and response.json()["code"] == "idempotency_key_invalid"
    assert Sale.objects.count() == 0
