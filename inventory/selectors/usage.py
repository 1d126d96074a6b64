"""Counts of what the plan limits: active products and locations, and this month's sales."""

from inventory.models import Location, Product
from inventory.services.sales import sales_this_month
from plans.usage import usage_counter_register


def register_usage_counters() -> None:
    usage_counter_register("products", lambda: Product.objects.filter(is_active=True).count())
    usage_counter_register("locations", lambda: Location.objects.filter(is_active=True).count())
    usage_counter_register("sales_per_month", sales_this_month)  # a counter row, not a COUNT
