"""The forecast job against the ledger: stockouts, suggestions, reruns, tenancy, draft orders."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from forecasts.exceptions import NothingToOrder
from forecasts.models import ForecastRun, ReorderSuggestion, SeriesForecast
from forecasts.selectors import suggestion_explanation, suggestions_by_supplier
from forecasts.services import forecast_run_execute, forecast_run_request, suggested_order_create
from inventory.models import PurchaseOrder, PurchaseOrderLine
from inventory.services import purchase_order_send
from tests.conftest import in_schema
from tests.forecasts.conftest import TODAY, history_write
from tests.inventory.factories import LocationFactory, ProductFactory, SupplierFactory

DAYS = 210


@pytest.fixture
def supplier(alpha):
    return SupplierFactory(name="Distribuidora Norte")


@pytest.fixture
def steady(alpha, store, supplier):
    """5 units a day for 210 days; 1,200 received at the start: 150 left."""
    product = ProductFactory(
        sku="CAF-1", name="Café 250 g", preferred_supplier=supplier, lead_time_days=7, pack_size=Decimal("10")
    )
    history_write(product, store, daily=[5.0] * DAYS, receipts={0: 1200.0})
    return product


def run_job():
    return forecast_run_execute(today=TODAY)


def test_a_stockout_is_not_read_as_zero_demand(alpha, store):
    product = ProductFactory(sku="TE-1", lead_time_days=3)
    # 5 a day; the stock runs out 6 days before the end and nothing sells after that.
    daily = [5.0] * (DAYS - 6) + [0.0] * 6
    history_write(product, store, daily=daily, receipts={0: 5.0 * (DAYS - 6)})

    run_job()

    forecast = SeriesForecast.objects.get(product=product, location=store)
    assert forecast.demand_class == SeriesForecast.DemandClass.SMOOTH
    assert sum(forecast.daily) / len(forecast.daily) == pytest.approx(5.0, abs=0.3)
    suggestion = ReorderSuggestion.objects.get(product=product, location=store)
    assert suggestion.on_hand == 0 and suggestion.quantity > 0


def test_the_suggestion_counts_stock_on_order_and_rounds_to_packs(alpha, store, supplier, steady, owner):
    order = PurchaseOrder.objects.create(
        number=9001, supplier=supplier, location=store, status=PurchaseOrder.Status.SENT, created_by=owner
    )
    PurchaseOrderLine.objects.create(order=order, product=steady, quantity_ordered=Decimal("20"), unit_cost=1)
    steady.stock_levels.filter(location=store).update(on_hand=Decimal("12"))

    run_job()

    suggestion = ReorderSuggestion.objects.get(product=steady, location=store)
    assert (suggestion.on_hand, suggestion.on_order) == (Decimal("12"), Decimal("20"))
    # A steady 5 a day: 35 over the 7 days of lead time, no error, so no safety stock; the
    # position 12 + 20 = 32 is below the reorder point 35: up to 35 + 35 (7 days of review) = 70,
    # 38 units, 4 packs of 10. Without the 20 on order it would take 6 packs.
    assert suggestion.demand_lead == pytest.approx(35.0, abs=0.01)
    assert suggestion.safety_stock == pytest.approx(0.0, abs=0.01)
    assert suggestion.order_up_to == pytest.approx(70.0, abs=0.05)
    assert (suggestion.packs, suggestion.quantity) == (4, Decimal("40"))
    assert suggestion.supplier == supplier


def test_a_well_stocked_product_gets_no_suggestion(alpha, store, steady):
    run_job()

    assert ReorderSuggestion.objects.get(product=steady).quantity == 0  # 150 on hand, ~35 a week


def test_a_rerun_replaces_the_results(alpha, store, steady):
    first = run_job()
    second = run_job()

    assert first.status == second.status == ForecastRun.Status.DONE
    assert SeriesForecast.objects.count() == ReorderSuggestion.objects.count() == 1
    assert SeriesForecast.objects.get().run == second
    assert second.series_count == 1 and second.progress == 100


def test_the_job_never_reads_another_workspace_sales(alpha, store, steady, workspaces):
    alpha_location_id, alpha_product_id = store.pk, steady.pk
    with in_schema(workspaces.beta):
        # The same ids in beta, selling 50 a day: read by mistake, they would swamp alpha's 5.
        location = LocationFactory(pk=alpha_location_id, name="Beta centro")
        product = ProductFactory(pk=alpha_product_id, sku="BETA-1")
        history_write(product, location, daily=[50.0] * DAYS, receipts={0: 50.0 * DAYS + 10})
        other = ProductFactory(sku="BETA-2")
        history_write(other, location, daily=[1.0] * DAYS, receipts={0: 500.0})

    run_job()

    assert list(SeriesForecast.objects.values_list("product_id", "location_id")) == [(steady.pk, store.pk)]
    forecast = SeriesForecast.objects.get()
    assert sum(forecast.daily) / len(forecast.daily) == pytest.approx(5.0, abs=0.3)
    with in_schema(workspaces.beta):
        assert not SeriesForecast.objects.exists()


def test_a_failed_run_keeps_the_previous_results(alpha, store, steady, monkeypatch):
    run_job()
    before = list(SeriesForecast.objects.values_list("pk", "daily"))

    def broken(*args, **kwargs):
        raise RuntimeError("engine down")

    monkeypatch.setattr("forecasts.services.forecast_panel", broken)
    with pytest.raises(RuntimeError):
        run_job()

    assert list(SeriesForecast.objects.values_list("pk", "daily")) == before
    assert ForecastRun.objects.order_by("-id").first().status == ForecastRun.Status.FAILED


@pytest.fixture
def short_of_stock(alpha, store, steady):
    steady.stock_levels.filter(location=store).update(on_hand=Decimal("12"))
    run_job()
    return steady


def test_suggestions_become_one_draft_purchase_order(alpha, store, supplier, short_of_stock, owner):
    suggestion = ReorderSuggestion.objects.get(product=short_of_stock)

    order = suggested_order_create(supplier=supplier, location=store, user=owner)

    assert order.status == PurchaseOrder.Status.DRAFT
    line = order.lines.get()
    assert (line.product, line.quantity_ordered) == (short_of_stock, suggestion.quantity)
    # Clicking again, even after the next night's run, gives the same draft.
    assert suggested_order_create(supplier=supplier, location=store, user=owner) == order
    run_job()
    assert ReorderSuggestion.objects.get(product=short_of_stock).purchase_order == order
    assert suggested_order_create(supplier=supplier, location=store, user=owner) == order
    assert PurchaseOrder.objects.count() == 1


def test_staff_cannot_turn_suggestions_into_an_order(alpha, store, supplier, short_of_stock, staff):
    with pytest.raises(PermissionDenied):
        suggested_order_create(supplier=supplier, location=store, user=staff)

    assert not PurchaseOrder.objects.exists()
    assert ReorderSuggestion.objects.get().purchase_order is None


def test_nothing_to_order_is_refused(alpha, store, supplier, steady, owner):
    run_job()

    with pytest.raises(NothingToOrder):
        suggested_order_create(supplier=supplier, location=store, user=owner)
    assert not PurchaseOrder.objects.exists()


def test_suggestions_are_grouped_by_supplier_and_explain_themselves(alpha, store, supplier, short_of_stock):
    (group,) = suggestions_by_supplier()
    (suggestion,) = group.suggestions

    assert (group.supplier, group.location) == (supplier, store)
    with translation.override("en"):
        text = suggestion_explanation(suggestion)
    with translation.override("es"):
        spanish = suggestion_explanation(suggestion)
    assert text.startswith("on hand 12, on order 0, expected demand over 7 days of lead time 35 ± ")
    assert spanish.startswith("en stock 12, pedido 0, demanda esperada en 7 días de entrega 35 ± ")
    assert f"→ order {suggestion.quantity:.0f} ({suggestion.packs} packs of 10)" in text
    # The why adds up: lead-time demand + safety stock + review-period demand = the level ordered up
    # to; less what is held = what is needed; the order rounds that up to whole packs.
    terms = re.search(
        r"lead time (\d+) ± \d+, safety stock (\d+); plus the review period \(7 d\) (\d+) → up to (\d+), "
        r"less (\d+) held = (\d+) → order (\d+)",
        text,
    )
    assert terms, text
    lead, safety, cycle, target, held, need, order = map(int, terms.groups())
    assert lead + safety + cycle == target and target - held == need
    assert need <= order < need + 10


def test_a_second_request_gets_the_run_already_queued(alpha, owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        first = forecast_run_request(user=owner)
        second = forecast_run_request(user=owner)

    assert first == second and first.status == ForecastRun.Status.QUEUED
    assert ForecastRun.objects.count() == 1
    assert len(callbacks) == 1


def test_staff_cannot_request_a_run(alpha, staff):
    with pytest.raises(PermissionDenied):
        forecast_run_request(user=staff)
    assert not ForecastRun.objects.exists()


def test_a_run_that_lost_its_worker_blocks_nothing(alpha, owner):
    stale = ForecastRun.objects.create(status=ForecastRun.Status.RUNNING)
    ForecastRun.objects.filter(pk=stale.pk).update(created_at=timezone.now() - timedelta(hours=3))

    fresh = forecast_run_request(user=owner)

    stale.refresh_from_db()
    assert stale.status == ForecastRun.Status.FAILED
    assert fresh != stale and fresh.status == ForecastRun.Status.QUEUED


def test_the_nightly_run_leaves_a_running_one_alone(alpha, store, steady):
    running = ForecastRun.objects.create(status=ForecastRun.Status.RUNNING)

    assert run_job() == running
    assert not SeriesForecast.objects.exists()


def test_the_forecasts_own_note_never_reaches_the_supplier(
    alpha, store, supplier, short_of_stock, owner, django_capture_on_commit_callbacks, mailoutbox
):
    order = suggested_order_create(supplier=supplier, location=store, user=owner)
    assert order.internal_note and not order.note

    with django_capture_on_commit_callbacks(execute=True):
        purchase_order_send(order=order, user=owner)

    (email,) = mailoutbox
    sent = email.body + "".join(content for content, _ in email.alternatives)
    assert order.internal_note not in sent
    assert "forecast" not in sent.lower() and "pronóstico" not in sent.lower()
