"""Who sees money through the API: costs and other sellers' sale amounts are null for STAFF,
present for owners and admins; a seller sees the amounts of their own sale."""

from decimal import Decimal

from inventory.services import SaleLineInput, sale_create


def test_staff_gets_no_cost_in_products_stock_levels_and_movements(api_for, tokens, stocked, store):
    staff, owner = api_for(tokens["staff"]), api_for(tokens["owner"])

    assert [row["cost"] for row in staff.get("/api/v1/products/").json()["results"]] == [None]
    assert staff.get(f"/api/v1/products/{stocked.pk}/").json()["cost"] is None
    assert staff.get(f"/api/v1/products/{stocked.pk}/").json()["sale_price"] == "3200.00"
    assert owner.get(f"/api/v1/products/{stocked.pk}/").json()["cost"] == "2000.00"
    assert api_for(tokens["admin"]).get("/api/v1/products/").json()["results"][0]["cost"] == "2000.00"
    levels = staff.get("/api/v1/stock-levels/").json()["results"]
    assert levels and all(row["average_cost"] is None for row in levels)
    assert api_for(tokens["owner"]).get("/api/v1/stock-levels/").json()["results"][0]["average_cost"]


def test_staff_sees_the_amounts_of_its_own_sale_only(api_for, tokens, team, stocked, store):
    mine = sale_create(location=store, seller=team["staff"], lines=[SaleLineInput(stocked, Decimal("1"))])
    theirs = sale_create(location=store, seller=team["owner"], lines=[SaleLineInput(stocked, Decimal("2"))])
    staff = api_for(tokens["staff"])

    listed = {row["id"]: row["total"] for row in staff.get("/api/v1/sales/").json()["results"]}
    assert listed == {mine.pk: "3200.00", theirs.pk: None}
    detail = staff.get(f"/api/v1/sales/{theirs.pk}/").json()
    assert detail["total"] is None and detail["lines"][0]["total"] is None
    assert detail["lines"][0]["unit_price"] == "3200.00"  # prices are not secret
    assert api_for(tokens["owner"]).get(f"/api/v1/sales/{mine.pk}/").json()["total"] == "3200.00"
