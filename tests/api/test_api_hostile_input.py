"""Malformed and hostile input to the API answers 400 with a message, never a server error, and
writes nothing."""

import json

from inventory.models import Sale


def test_deeply_nested_json_is_refused_with_400(api_for, tokens, stocked, store):
    body = "[" * 50_000 + "]" * 50_000

    response = api_for(tokens["owner"]).post("/api/v1/sales/", body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["detail"]
    assert Sale.objects.count() == 0


def test_a_sale_too_large_for_any_till_is_refused_with_400(api_for, tokens, stocked, store):
    sale = {
        "location": store.pk,
        "lines": [{"product": stocked.pk, "quantity": "99999", "unit_price": "9999999999.99"}],
    }

    response = api_for(tokens["owner"]).post(
        "/api/v1/sales/", json.dumps(sale), content_type="application/json"
    )

    assert response.status_code == 400
    assert Sale.objects.count() == 0


def test_a_nul_byte_in_a_search_is_no_server_error(api_for, tokens, stocked):
    response = api_for(tokens["owner"]).get("/api/v1/products/?search=%00caf%00")

    assert response.status_code in (200, 400)


def test_a_time_offset_postgresql_cannot_store_is_read_as_the_same_instant(api_for, tokens, stocked):
    response = api_for(tokens["owner"]).get(
        "/api/v1/stock-movements/?created_after=2000-01-31T22:10:11-18:16"
    )

    assert response.status_code == 200
    assert len(response.json()["results"]) == 1  # the receipt of the stocked product, made today
