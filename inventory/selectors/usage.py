"""Counts of what the plan limits: active products and locations, and this month's sales."""

from inventory.dates import month_start, workspace_timezone
from inventory.models import Location, Product, Sale
from plans.usage import usage_counter_register


def register_usage_counters() -> None:
    usage_counter_register("products", lambda: Product.objects.filter(is_active=True).count())
    usage_counter_register("locations", lambda: Location.objects.filter(is_active=True).count())
    usage_counter_register(
        "sales_per_month",
        lambda: Sale.objects.filter(created_at__gte=month_start(workspace_timezone())).count(),
    )
