"""Who sees money on the screens: STAFF sees prices, not costs (product and stock lists, their
exports, their sorts), and sees the total of its own sales, not its colleagues' takings; the API
tokens link shows only on plans with the API."""

import csv
import io
from decimal import Decimal

from django.urls import reverse

from inventory.services import SaleLineInput, sale_create
from plans.models import Plan
from tenants.models import Tenant
from tests.team.test_team import signed_in


def test_staff_sees_no_cost_column_and_cannot_export_or_sort_by_it(
    client_for, workspaces, staff, admin, stocked
):
    staff_client = signed_in(client_for, workspaces.alpha, staff)
    page = staff_client.get(reverse("workspace:product_list"), {"sort": "-cost"}).content.decode()
    exported = staff_client.get(reverse("workspace:product_list"), {"export": "csv"})
    header = next(
        csv.reader(
            io.StringIO(b"".join(exported).decode() if exported.streaming else exported.content.decode())
        )
    )

    assert "Yerba mate 500 g" in page and "Sale price" in page
    assert ">Cost<" not in page and "2,000" not in page and "2.000" not in page
    assert "Cost" not in header and "Sale price" in header

    admin_page = signed_in(client_for, workspaces.alpha, admin).get(reverse("workspace:product_list")).content
    assert b"Cost" in admin_page


def test_staff_sees_its_own_sale_total_but_not_a_colleagues(
    client_for, workspaces, staff, owner, stocked, store
):
    mine = sale_create(location=store, seller=staff, lines=[SaleLineInput(stocked, Decimal("1"))])
    theirs = sale_create(location=store, seller=owner, lines=[SaleLineInput(stocked, Decimal("3"))])
    client = signed_in(client_for, workspaces.alpha, staff)

    listed = client.get(reverse("workspace:sale_list")).content.decode()
    colleague = client.get(reverse("workspace:sale_detail", args=[theirs.pk])).content.decode()
    own = client.get(reverse("workspace:sale_receipt", args=[mine.pk])).content.decode()

    assert "3,200.00" in listed and "9,600.00" not in listed
    assert "9,600.00" not in colleague and "3,200.00" in colleague  # the unit price, not the total
    assert 'data-testid="receipt-total"' in own and "3,200.00" in own
    assert client.get(reverse("workspace:sale_export_csv")).status_code == 403
    by_total = client.get(reverse("workspace:sale_list"), {"sort": "total"}).content.decode()
    assert by_total.index(f'data-number="{theirs.number}"') < by_total.index(f'data-number="{mine.number}"')


def test_the_api_tokens_link_shows_only_on_plans_with_the_api(client_for, workspaces, owner):
    Tenant.objects.filter(pk=workspaces.alpha.pk).update(plan=Plan.objects.filter(has_api=False).first())
    without = signed_in(client_for, workspaces.alpha, owner).get(reverse("workspace:home")).content.decode()
    Tenant.objects.filter(pk=workspaces.alpha.pk).update(plan=Plan.objects.filter(has_api=True).first())
    with_api = signed_in(client_for, workspaces.alpha, owner).get(reverse("workspace:home")).content.decode()

    assert "API tokens" not in without and "API tokens" in with_api
