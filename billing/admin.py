"""Stripe prices of the plans (editable, on the plan's page), and what Stripe told us (read-only)."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from billing.models import BillingAccount, BillingSubscription, PlanStripePrice, StripeEvent
from billing.platform import platform_figures
from plans.admin import PlanAdmin
from tenants.admin import TenantAdmin


class PlanStripePriceInline(admin.TabularInline):
    """Which Stripe price charges for the plan, per currency and billing interval."""

    model = PlanStripePrice
    extra = 0
    fields = ["currency", "interval", "stripe_price_id", "is_active"]


# The plan's page in the admin (plans app) also shows how Stripe charges for it: billing sits
# above plans, so it adds its inline to PlanAdmin instead of plans importing billing.
PlanAdmin.inlines = [*PlanAdmin.inlines, PlanStripePriceInline]


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


# --- The platform page, on the workspaces' admin (/admin/tenants/tenant/platform/) ------------------


def platform_view(model_admin, request):
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "title": _("Platform"),
        "opts": model_admin.model._meta,
        "figures": platform_figures(),
    }
    return TemplateResponse(request, "admin/tenants/platform.html", context)


TenantAdmin.extra_pages = [*TenantAdmin.extra_pages, ("platform/", platform_view, "tenants_tenant_platform")]
