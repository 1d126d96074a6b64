"""The dashboard at "/": figures for known data by role, the location filter, the chart, and other
workspaces kept out."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection

from inventory.dates import day_start, workspace_today
from inventory.models import Location
from inventory.services import SaleLineInput, expense_create, sale_create, stock_receive
from tests.conftest import in_schema
from tests.inventory.factories import ExpenseCategoryFactory, LocationFactory, ProductFactory
from tests.team.test_team import sign_in, signed_in

URL = "/"


def figure(response, testid) -> str:
    match = re.search(rf'data-testid="{testid}">([^<]*)<', response.content.decode())
    return match.group(1) if match else None


@pytest.fixture
def shop(stocked, store, warehouse, owner):
    """Today: 2 units at the store (6400) and 1 at the warehouse (3200); 3 units two days ago at
    the store (9600); expenses today of 1000 at the store and 500 for the whole business."""
    stock_receive(product=stocked, location=warehouse, quantity=10, user=owner)
    today = day_start(workspace_today()) + timedelta(minutes=5)
    sale_create(location=store, seller=owner, lines=[SaleLineInput(stocked, Decimal(2))], occurred_at=today)
    sale_create(
        location=warehouse, seller=owner, lines=[SaleLineInput(stocked, Decimal(1))], occurred_at=today
    )
    sale_create(
        location=store,
        seller=owner,
        lines=[SaleLineInput(stocked, Decimal(3))],
        occurred_at=today - timedelta(days=2),
    )
    rent = ExpenseCategoryFactory(name="Alquiler")
    expense_create(user=owner, date=workspace_today(), amount=Decimal("1000"), category=rent, location=store)
    expense_create(user=owner, date=workspace_today(), amount=Decimal("500"), category=rent)
    low = ProductFactory(sku="LOW-1", name="Azúcar", min_stock=Decimal("5"))
    stock_receive(product=low, location=store, quantity=1, user=owner)
    return {"low": low}


@pytest.mark.parametrize("role", ["owner", "admin", "staff"])
def test_every_role_sees_the_dashboard_money_only_with_view_balance(
    role, client_for, workspaces, shop, request
):
    user = request.getfixturevalue(role)
    response = signed_in(client_for, workspaces.alpha, user).get(URL)
    assert response.status_code == 200
    assert figure(response, "active-products") == "2"
    assert figure(response, "sales-count") == "2"
    assert "Welcome, " in response.content.decode()
    if role == "staff":
        assert figure(response, "balance") is None and figure(response, "income") is None
        latest = response.content.decode().split('data-testid="latest-sales"')[1].split("</table>")[0]
        assert "ARS" not in latest
    else:
        assert figure(response, "income") == "ARS9,600.00"
        assert figure(response, "expenses") == "ARS1,500.00"
        assert figure(response, "balance") == "ARS8,100.00"


def test_the_location_filter_narrows_every_figure(client_for, workspaces, shop, store, owner):
    response = signed_in(client_for, workspaces.alpha, owner).get(URL, {"location": store.pk})
    assert figure(response, "income") == "ARS6,400.00"
    assert figure(response, "expenses") == "ARS1,000.00"
    assert figure(response, "balance") == "ARS5,400.00"
    assert figure(response, "sales-count") == "1"
    html = response.content.decode()
    assert html.count('data-testid="latest-sale"') == 2
    assert f'<option value="{store.pk}" selected>' in html


def test_the_chart_has_thirty_days_and_the_low_stock_list(client_for, workspaces, shop, owner):
    html = signed_in(client_for, workspaces.alpha, owner).get(URL).content.decode()
    chart = html.split('data-testid="sales-chart"')[1].split("</svg>")[0]
    assert chart.count("<rect") == 30
    today = workspace_today().isoformat()
    tallest = re.search(rf'y="([\d.]+)" width="[\d.]+" height="([\d.]+)" data-day="{today}"', chart)
    two_days_ago = (workspace_today() - timedelta(days=2)).isoformat()
    other = re.search(rf'height="([\d.]+)" data-day="{two_days_ago}"', chart)
    assert float(tallest.group(2)) == pytest.approx(116.0)  # 9600 is the busiest day
    assert float(other.group(1)) == pytest.approx(116.0)  # 9600 too
    rows = re.findall(r'data-testid="low-stock-row"', html)
    assert len(rows) == 1 and "Azúcar" in html.split('data-testid="low-stock"')[1]


def test_an_unknown_or_foreign_location_is_not_found(client_for, workspaces, owner):
    with in_schema(workspaces.beta):
        beta_place = LocationFactory(name="Beta only")
    connection.set_tenant(workspaces.alpha)
    client = signed_in(client_for, workspaces.alpha, owner)
    if not Location.objects.filter(pk=beta_place.pk).exists():
        assert client.get(URL, {"location": beta_place.pk}).status_code == 404
    assert client.get(URL, {"location": "abc"}).status_code == 404
    assert client.get(URL, {"location": "99999999"}).status_code == 404


def test_anonymous_and_other_workspaces_go_to_the_sign_in_page(client_for, workspaces, alpha):
    anonymous = client_for(workspaces.alpha).get(URL)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    beta = client_for(workspaces.beta)
    assert sign_in(beta, "owner@beta.test").status_code == 302
    intruder = client_for(workspaces.alpha)
    intruder.cookies["sessionid"] = beta.cookies["sessionid"].value
    response = intruder.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_dashboard_reads_in_a_fixed_number_of_queries(
    client_for, workspaces, shop, owner, stocked, store, query_log
):
    client = signed_in(client_for, workspaces.alpha, owner)
    with query_log() as before:
        client.get(URL)
    for _ in range(5):
        sale_create(location=store, seller=owner, lines=[SaleLineInput(stocked, Decimal(1))])
    with query_log() as after:
        client.get(URL)
    assert len(after) == len(before)


def test_ids_in_the_page_are_not_grouped_like_numbers(client_for, workspaces, owner):
    """USE_THOUSAND_SEPARATOR would write 1234567 as "1,234,567" and break the filter's values."""
    place = LocationFactory(id=1234567, name="Sucursal grande")
    html = signed_in(client_for, workspaces.alpha, owner).get(URL, {"location": place.pk}).content.decode()
    assert '<option value="1234567" selected>' in html
