"""Plans and their list prices, edited by the super-admin."""

from django.contrib import admin

from plans.models import Plan, PlanPrice


class PlanPriceInline(admin.TabularInline):
    model = PlanPrice
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "code",
        "rank",
        "max_products",
        "max_locations",
        "max_users",
        "max_sales_per_month",
        "has_api",
        "has_forecasts",
        "branding_level",
        "trial_days",
    ]
    list_editable = ["rank"]
    inlines = [PlanPriceInline]
