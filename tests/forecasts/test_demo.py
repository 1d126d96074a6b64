"""The demo shop's sales history: believable, consistent with the ledger, forecast at once."""

from decimal import Decimal

from django.db.models import Sum

from forecasts.demo import forecast_demo_seed
from forecasts.models import ReorderSuggestion, SeriesForecast
from inventory.models import Location, Sale, StockLevel, StockMovement
from tests.inventory.factories import LocationFactory, ProductFactory, SupplierFactory


def test_the_demo_history_feeds_forecasts_and_keeps_the_ledger_whole(alpha):
    supplier = SupplierFactory()
    store = LocationFactory(name="Demo store", kind=Location.Kind.STORE)
    products = [
        ProductFactory(sku=f"DEMO-{n}", preferred_supplier=supplier, pack_size=Decimal("6")) for n in range(3)
    ]

    forecast_demo_seed()
    sales = Sale.objects.count()
    forecast_demo_seed()  # twice: nothing more

    assert Sale.objects.count() == sales > 300
    for product in products:
        level = StockLevel.objects.get(product=product, location=store)
        ledger = StockMovement.objects.filter(product=product, location=store).aggregate(
            total=Sum("quantity")
        )
        assert level.on_hand == ledger["total"] >= 0
        product.refresh_from_db()
        assert product.lead_time_days > 0
    assert SeriesForecast.objects.count() == ReorderSuggestion.objects.count() == 3
    assert not SeriesForecast.objects.filter(short_history=True).exists()
    assert {f.grain for f in SeriesForecast.objects.all()} == {"week"}
