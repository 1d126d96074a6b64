"""Several processes selling the same SKU at once, against committed data: no update is lost and
stock never goes below zero."""

import json
import subprocess
import sys
import time
import uuid
from decimal import Decimal

import pytest
from django.db import connection, transaction

from accounts.models import User
from inventory.models import DocumentCounter, Location, Product, Sale, SaleLine, StockLevel, StockMovement
from inventory.services import stock_receive
from tests.conftest import ROOT, _process_env, in_schema

SELLERS = 4
SALES_EACH = 8
START = 20  # fewer than SELLERS × SALES_EACH: some sales must be refused


def _committed_cleanup(*, product_id, location_id, sale_counter) -> None:
    """Remove what the test committed, ledger included (movements need the explicit switch)."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL inventory.allow_ledger_delete = 'on'")
        StockMovement.objects.filter(product_id=product_id).delete()
        SaleLine.objects.filter(product_id=product_id).delete()
        Sale.objects.filter(location_id=location_id).delete()
        StockLevel.objects.filter(product_id=product_id).delete()
        Product.objects.filter(pk=product_id).delete()
        Location.objects.filter(pk=location_id).delete()
        if sale_counter is None:
            DocumentCounter.objects.filter(kind="sale").delete()
        else:
            DocumentCounter.objects.filter(kind="sale").update(last_number=sale_counter)
        # The month's sales counters start again from a COUNT of what is left.
        DocumentCounter.objects.filter(kind__startswith="sales:").delete()


@pytest.mark.timeout(180)
def test_concurrent_sales_of_one_sku_lose_no_update_and_never_go_negative(committed, workspaces, tmp_path):
    tag = uuid.uuid4().hex[:8]
    with in_schema(workspaces.alpha):
        owner = User.objects.get(email="owner@alpha.test")
        sale_counter = (
            DocumentCounter.objects.filter(kind="sale").values_list("last_number", flat=True).first()
        )
        location = Location.objects.create(name=f"Concurrencia {tag}")
        product = Product.objects.create(
            sku=f"CONC-{tag}", name="Yerba concurrente", sale_price=Decimal("10")
        )
        stock_receive(product=product, location=location, quantity=START, user=owner)
    go_file = tmp_path / "go"
    sellers = []
    try:
        for index in range(SELLERS):
            ready_file = tmp_path / f"ready-{index}"
            args = [
                workspaces.alpha.schema_name,
                product.pk,
                location.pk,
                owner.pk,
                SALES_EACH,
                ready_file,
                go_file,
            ]
            sellers.append(
                (
                    ready_file,
                    subprocess.Popen(
                        [sys.executable, "-m", "tests.inventory.concurrent_seller", *map(str, args)],
                        cwd=ROOT,
                        env=_process_env(),
                        stdout=subprocess.PIPE,
                        stderr=subprocess.PIPE,
                        text=True,
                    ),
                )
            )
        _wait_until_ready(sellers)
        go_file.touch()
        results = []
        for _ready, process in sellers:
            out, err = process.communicate(timeout=120)
            assert process.returncode == 0, err[-3000:]
            results.append(json.loads(out.strip().splitlines()[-1]))

        sold = sum(result["sold"] for result in results)
        refused = sum(result["refused"] for result in results)
        assert sold + refused == SELLERS * SALES_EACH
        assert sold == START
        assert refused == SELLERS * SALES_EACH - START
        assert sum(1 for result in results if result["sold"]) > 1, "the sellers did not overlap"
        with in_schema(workspaces.alpha):
            level = StockLevel.objects.get(product=product, location=location)
            assert level.on_hand == START - sold == 0
            movements = StockMovement.objects.filter(product=product, location=location)
            assert movements.filter(kind="sale").count() == sold
            assert sum(movements.values_list("quantity", flat=True)) == level.on_hand
            numbers = sorted(Sale.objects.filter(location=location).values_list("number", flat=True))
            assert len(numbers) == sold
            assert numbers == list(range(numbers[0], numbers[0] + sold)), "sale numbers have gaps"
    finally:
        for _ready, process in sellers:
            if process.poll() is None:
                process.kill()
                process.wait()
        with in_schema(workspaces.alpha):
            _committed_cleanup(product_id=product.pk, location_id=location.pk, sale_counter=sale_counter)
    with in_schema(workspaces.alpha):
        assert not Product.objects.filter(pk=product.pk).exists()


def _wait_until_ready(sellers, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while not all(ready.exists() for ready, _process in sellers):
        for _ready, process in sellers:
            if process.poll() is not None:
                pytest.fail(f"a seller exited early: {process.stderr.read()[-3000:]}")
        if time.monotonic() > deadline:
            pytest.fail("the sellers did not start in time")
        time.sleep(0.05)
