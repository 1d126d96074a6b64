"""The forecast screens: plan gate, roles, one-click orders over HTTP, another workspace's data."""

import re
from decimal import Decimal

import pytest
from django.conf import settings

from accounts.models import User
from accounts.services import user_create
from forecasts.services import forecast_run_execute
from inventory.models import PurchaseOrder
from plans.models import Plan
from tenants.models import Tenant
from tests.conftest import PASSWORD, in_schema
from tests.forecasts.conftest import TODAY, history_write
from tests.inventory.factories import LocationFactory, ProductFactory, SupplierFactory


def on_plan(tenant, *, forecasts: bool) -> None:
    Tenant.objects.filter(pk=tenant.pk).update(plan=Plan.objects.filter(has_forecasts=forecasts).first())


def web_client(client_for, tenant, user):
    client = client_for(tenant)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with in_schema(tenant):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def shop(db, workspaces):
    """alpha on a plan with forecasts, a product short of stock and its suggestion computed."""
    on_plan(workspaces.alpha, forecasts=True)
    with in_schema(workspaces.alpha):
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
        owner = User.objects.get(email="owner@alpha.test")
        staff = user_create(email="staff-fc@alpha.test", password=PASSWORD, role=User.Role.STAFF)
    return {"supplier": supplier, "store": store, "product": product, "owner": owner, "staff": staff}


def test_owners_see_suggestions_by_supplier_with_their_explanation(shop, client_for, workspaces):
    client = web_client(client_for, workspaces.alpha, shop["owner"])

    response = client.get("/forecasts/")

    assert response.status_code == 200
    body = response.content.decode()
    assert "Molino Sur" in body and "Harina 1 kg" in body
    assert "on hand 6, on order 0, expected demand over 5 days of lead time 20" in body


def test_one_click_makes_one_draft_order_even_when_clicked_twice(shop, client_for, workspaces):
    client = web_client(client_for, workspaces.alpha, shop["owner"])
    data = {"supplier": shop["supplier"].pk, "location": shop["store"].pk}

    assert client.post("/forecasts/order/", data).status_code == 302
    assert client.post("/forecasts/order/", data).status_code == 302

    with in_schema(workspaces.alpha):
        order = PurchaseOrder.objects.get()
        assert order.status == PurchaseOrder.Status.DRAFT
        assert order.lines.get().quantity_ordered % 12 == 0


def test_staff_is_refused_and_nothing_changes(shop, client_for, workspaces):
    client = web_client(client_for, workspaces.alpha, shop["staff"])
    data = {"supplier": shop["supplier"].pk, "location": shop["store"].pk}

    assert client.get("/forecasts/").status_code == 403
    assert client.post("/forecasts/order/", data).status_code == 403
    with in_schema(workspaces.alpha):
        assert not PurchaseOrder.objects.exists()


def test_a_plan_without_forecasts_shows_the_upgrade_page(shop, client_for, workspaces):
    on_plan(workspaces.alpha, forecasts=False)
    client = web_client(client_for, workspaces.alpha, shop["owner"])

    response = client.get("/forecasts/")

    assert response.status_code == 403
    assert b"forecasts-upgrade" in response.content


def test_another_workspace_sees_none_of_these_suggestions(shop, client_for, workspaces):
    on_plan(workspaces.beta, forecasts=True)
    with in_schema(workspaces.beta):
        beta_owner = User.objects.get(email="owner@beta.test")
    client = web_client(client_for, workspaces.beta, beta_owner)

    body = client.get("/forecasts/").content.decode()
    chart = client.get(f"/forecasts/products/{shop['product'].pk}/{shop['store'].pk}/")

    assert "Molino Sur" not in body and "Harina" not in body
    assert chart.status_code == 404


def test_the_chart_accuracy_and_progress_pages_answer(shop, client_for, workspaces):
    client = web_client(client_for, workspaces.alpha, shop["owner"])

    chart = client.get(f"/forecasts/products/{shop['product'].pk}/{shop['store'].pk}/")
    accuracy = client.get("/forecasts/accuracy/")
    progress = client.get("/forecasts/run/progress/").json()

    assert chart.status_code == 200 and b'data-testid="forecast-chart"' in chart.content
    assert accuracy.status_code == 200
    body = accuracy.content.decode()
    # Out-of-sample counts against both simple rules, whatever the backtest found.
    assert re.search(r"[01] of 1 series beat the seasonal naive forecast", body)
    assert re.search(r"[01] of 1 series beat the moving average of the last 4 periods", body)
    assert re.search(r"[01] of 1 series beat both", body)
    assert b'data-testid="chart-accuracy"' in chart.content
    assert progress["status"] == "done" and progress["progress"] == 100


@pytest.mark.parametrize(
    "path",
    [
        "/forecasts/products/abc/1/",
        "/forecasts/products/1/xyz/",
        "/forecasts/products/99999999999999999999/1/",
        "/forecasts/products/2147483648/1/",
        "/forecasts/products/%D9%A1%D9%A2/1/",  # Arabic-Indic digits
        "/forecasts/products/-1/1/",
        "/forecasts/products/1%C3%B1/1/",
    ],
)
def test_a_malformed_id_in_a_forecast_url_is_not_found(shop, client_for, workspaces, path):
    client = web_client(client_for, workspaces.alpha, shop["owner"])

    assert client.get(path).status_code == 404


@pytest.mark.parametrize("value", ["abc", "99999999999999999999", "١٢", "", "1.5"])
def test_a_malformed_supplier_or_location_in_the_order_form_is_not_found(shop, client_for, workspaces, value):
    client = web_client(client_for, workspaces.alpha, shop["owner"])

    assert (
        client.post("/forecasts/order/", {"supplier": value, "location": shop["store"].pk}).status_code == 404
    )
    assert (
        client.post("/forecasts/order/", {"supplier": shop["supplier"].pk, "location": value}).status_code
        == 404
    )
    with in_schema(workspaces.alpha):
        assert not PurchaseOrder.objects.exists()


def test_the_chart_has_dated_axes_and_values(shop, client_for, workspaces):
    client = web_client(client_for, workspaces.alpha, shop["owner"])

    body = client.get(f"/forecasts/products/{shop['product'].pk}/{shop['store'].pk}/").content.decode()

    days = re.findall(r'data-testid="x-tick">([^<]+)<', body)
    values = re.findall(r'data-testid="y-tick">([^<]+)<', body)
    assert len(days) >= 3 and all(re.fullmatch(r"\d{1,2} \w+\.?", day) for day in days), days
    assert values[0] == "0" and len(values) == 3
