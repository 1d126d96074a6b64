"""Query filters of the list endpoints (django-filter), on top of the selectors' querysets."""

from datetime import UTC

import django_filters
from django.db.models import F, Q

from forecasts.models import ReorderSuggestion, SeriesForecast
from inventory.models import (
    Category,
    Expense,
    Location,
    Product,
    PurchaseOrder,
    Quote,
    Sale,
    StockLevel,
    StockMovement,
    Supplier,
    Transfer,
)
from inventory.selectors import category_descendant_ids


class UtcDateTimeFilter(django_filters.IsoDateTimeFilter):
    """An ISO 8601 instant, compared in UTC. Python reads offsets up to ±23:59 but PostgreSQL
    refuses those beyond ±15:59 (a server error); converted first, any valid instant works."""

    def filter(self, qs, value):
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(UTC)
        return super().filter(qs, value)


class ProductFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(
        method="filter_search", help_text="Name contains, or exact SKU or barcode."
    )
    category = django_filters.ModelChoiceFilter(
        queryset=Category.objects.all(), method="filter_category", help_text="Includes sub-categories."
    )

    class Meta:
        model = Product
        fields = ["is_active", "tracks_stock", "sku", "barcode", "unit"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(sku__iexact=value) | Q(barcode=value))

    def filter_category(self, queryset, name, value):
        return queryset.filter(category_id__in=category_descendant_ids(category=value))


class LocationFilter(django_filters.FilterSet):
    class Meta:
        model = Location
        fields = ["is_active", "kind"]


class StockLevelFilter(django_filters.FilterSet):
    below_minimum = django_filters.BooleanFilter(method="filter_below_minimum")

    class Meta:
        model = StockLevel
        fields = ["product", "location"]

    def filter_below_minimum(self, queryset, name, value):
        condition = Q(on_hand__lt=F("product__min_stock"))
        return queryset.filter(condition) if value else queryset.exclude(condition)


class StockMovementFilter(django_filters.FilterSet):
    created_after = UtcDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = UtcDateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = StockMovement
        fields = ["product", "location", "kind"]


class SaleFilter(django_filters.FilterSet):
    created_after = UtcDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = UtcDateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = Sale
        fields = ["location", "status", "seller", "payment_method"]


class SupplierFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(method="filter_search", help_text="Name contains, or exact tax ID.")

    class Meta:
        model = Supplier
        fields = ["is_active"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(tax_id=value)) if value else queryset


class TransferFilter(django_filters.FilterSet):
    class Meta:
        model = Transfer
        fields = ["status", "origin", "destination"]


class PurchaseOrderFilter(django_filters.FilterSet):
    class Meta:
        model = PurchaseOrder
        fields = ["status", "supplier", "location"]


class QuoteFilter(django_filters.FilterSet):
    class Meta:
        model = Quote
        fields = ["status", "location"]


class ExpenseFilter(django_filters.FilterSet):
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = Expense
        fields = ["category", "location"]


class SeriesForecastFilter(django_filters.FilterSet):
    class Meta:
        model = SeriesForecast
        fields = ["product", "location", "short_history", "demand_class"]


class SuggestionFilter(django_filters.FilterSet):
    to_order = django_filters.BooleanFilter(
        method="filter_to_order", help_text="Only suggestions with something to order (or none)."
    )

    class Meta:
        model = ReorderSuggestion
        fields = ["supplier", "location", "product"]

    def filter_to_order(self, queryset, name, value):
        return queryset.filter(quantity__gt=0) if value else queryset.filter(quantity=0)
