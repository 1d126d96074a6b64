"""Sellers in separate processes at once, with refusals among their sales (a short line, then the
plan's sales a month used up), against committed data in a workspace of this module's own: the
sale numbers that were given are 1..n without a gap, and the month's counter is exactly n.

The sale number and the month's count are taken last in the sale's transaction (see
inventory.services.sales), so this is what proves that a refusal gives nothing away."""

import json
import subprocess
import sys
import uuid
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import User
from inventory.dates import workspace_timezone
from inventory.models import DocumentCounter, Location, Product, Sale, StockLevel, StockMovement
from inventory.services import stock_receive
from plans.models import Plan
from tenants.models import Tenant
from tenants.services import tenant_create
from tests.conftest import ROOT, _process_env, in_schema
from tests.inventory.test_concurrency import _wait_until_ready

SLUG = "sale-numbers"
SELLERS = 4
SALES_EACH = 8
SHORT_EVERY = 3  # each seller's 3rd and 6th sale ask for more than the stock: 8 refused
LIMIT = 15  # of the 24 others, 15 fit the plan's month and 9 are refused
START = 1_000


@pytest.fixture
def numbered_workspace(committed, workspaces):
    leftover = Tenant.objects.filter(slug=SLUG).first()
    if leftover is not None:
        leftover.delete(force_drop=True)
    code = f"sale-numbers-{uuid.uuid4().hex[:6]}"
    plan = Plan.objects.create(
        code=code, name="Numeración", rank=1, is_public=False, max_sales_per_month=LIMIT
    )
    tenant = tenant_create(
        slug=SLUG, name="Sale Numbers", owner_email=f"owner@{SLUG}.test", owner_password=None, plan_code=code
    )
    try:
        yield tenant
    finally:
        tenant.delete(force_drop=True)
        plan.delete()


@pytest.mark.timeout(180)
def test_concurrent_sellers_with_refusals_get_gap_free_numbers_and_an_exact_month_count(
    numbered_workspace, tmp_path
):
    with in_schema(numbered_workspace):
        owner = User.objects.get(email=f"owner@{SLUG}.test")
        location = Location.objects.create(name="Caja")
        product = Product.objects.create(sku="NUM-1", name="Alfajor", sale_price=Decimal("10"))
        stock_receive(product=product, location=location, quantity=START, user=owner)
    go_file = tmp_path / "go"
    sellers = []
    try:
        for index in range(SELLERS):
            ready_file = tmp_path / f"ready-{index}"
            args = [
                numbered_workspace.schema_name,
                product.pk,
                location.pk,
                owner.pk,
                SALES_EACH,
                ready_file,
                go_file,
                SHORT_EVERY,
            ]
            process = subprocess.Popen(
                [sys.executable, "-m", "tests.inventory.concurrent_seller", *map(str, args)],
                cwd=ROOT,
                env=_process_env(),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            sellers.append((ready_file, process))
        _wait_until_ready(sellers)
        go_file.touch()
        results = []
        for _ready, process in sellers:
            out, err = process.communicate(timeout=120)
            assert process.returncode == 0, err[-3000:]
            results.append(json.loads(out.strip().splitlines()[-1]))
    finally:
        for _ready, process in sellers:
            if process.poll() is None:
                process.kill()
                process.wait()

    sold = sum(result["sold"] for result in results)
    assert sum(result["short"] for result in results) == SELLERS * (SALES_EACH // SHORT_EVERY)
    assert (
        sum(result["over_plan"] for result in results)
        == SELLERS * SALES_EACH - SELLERS * (SALES_EACH // SHORT_EVERY) - LIMIT
    )
    assert sold == LIMIT
    assert sum(1 for result in results if result["sold"]) > 1, "the sellers did not overlap"
    with in_schema(numbered_workspace):
        numbers = sorted(Sale.objects.values_list("number", flat=True))
        assert numbers == list(range(1, sold + 1)), "sale numbers have gaps"
        month = timezone.now().astimezone(workspace_timezone()).strftime("%Y-%m")
        counters = dict(DocumentCounter.objects.values_list("kind", "last_number"))
        assert counters["sale"] == sold
        assert counters[f"sales:{month}"] == sold
        level = StockLevel.objects.get(product=product, location=location)
        assert level.on_hand == START - sold
        assert (
            sum(StockMovement.objects.filter(product=product).values_list("quantity", flat=True))
            == level.on_hand
        )
