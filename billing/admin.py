"""Plans, their prices and Stripe prices (editable), and what Stripe told us (read-only)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from billing.models import BillingAccount, BillingSubscription, Plan, PlanPrice, PlanStripePrice, StripeEvent


class PlanPriceInline(admin.TabularInline):
    model = PlanPrice
    extra = 0


class PlanStripePriceInline(admin.TabularInline):
    """Which Stripe price charges for the plan, per currency and billing interval."""

    model = PlanStripePrice
    extra = 0
    fields = ["currency", "interval", "stripe_price_id", "is_active"]


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
    inlines = [PlanPriceInline, PlanStripePriceInline]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Written by the webhook only: the admin shows, never edits."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class BillingSubscriptionInline(admin.TabularInline):
    model = BillingSubscription
    fields = [
        "stripe_subscription_id",
        "status",
        "plan",
        "amount",
        "currency",
        "interval",
        "started_at",
        "current_period_end",
        "ended_at",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(BillingAccount)
class BillingAccountAdmin(ReadOnlyAdmin):
    list_display = ["tenant", "stripe_customer_id", "subscription_status", "grace_until", "updated_at"]
    list_select_related = ["tenant", "subscription"]
    search_fields = [
        "tenant__name",
        "tenant__slug",
        "stripe_customer_id",
        "subscriptions__stripe_subscription_id",
    ]
    list_filter = ["subscription__status"]
    readonly_fields = [
        "tenant",
        "stripe_customer_id",
        "subscription",
        "grace_until",
        "trial_reminder_sent_for",
    ]
    fields = readonly_fields
    inlines = [BillingSubscriptionInline]

    @admin.display(description=_("subscription"))
    def subscription_status(self, account):
        return account.subscription.get_status_display() if account.subscription else "—"


@admin.register(StripeEvent)
class StripeEventAdmin(ReadOnlyAdmin):
    list_display = ["event_id", "type", "created", "received_at", "outcome", "account"]
    list_filter = ["type", "outcome", "livemode"]
    list_select_related = ["account__tenant"]
    search_fields = ["event_id", "account__tenant__slug"]
    date_hierarchy = "received_at"
