"""Stripe prices of the plans (editable, on the plan's page), and what Stripe told us (read-only)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from djstripe.admin.admin import InvoiceAdmin as DjstripeInvoiceAdmin
from djstripe.models import Customer as DjstripeCustomer
from djstripe.models import Invoice as DjstripeInvoice

from billing.models import BillingAccount, BillingSubscription, PlanRequest, PlanStripePrice, StripeEvent
from billing.platform import platform_figures
from billing.services import plan_request_apply
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
        "stripe_mirror",
        "subscription",
        "grace_until",
        "trial_reminder_sent_for",
    ]
    fields = readonly_fields
    inlines = [BillingSubscriptionInline]

    @admin.display(description=_("Stripe (dj-stripe mirror)"))
    def stripe_mirror(self, account):
        """The customer as dj-stripe mirrors it: its subscriptions, invoices, payment methods."""
        if not account.stripe_customer_id:
            return "—"
        customer = DjstripeCustomer.objects.filter(id=account.stripe_customer_id).first()
        if customer is None:
            return "—"
        url = reverse("admin:djstripe_customer_change", args=[customer.djstripe_id])
        invoices = reverse("admin:djstripe_invoice_changelist") + f"?customer={customer.id}"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>', url, _("customer"), invoices, _("invoices")
        )

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


@admin.register(PlanRequest)
class PlanRequestAdmin(ReadOnlyAdmin):
    """Manual billing mode: the owners' "request this plan", applied by the super-admin."""

    list_display = ["tenant", "plan", "interval", "requested_by", "status", "created_at", "applied_at"]
    list_filter = ["status", "plan"]
    list_select_related = ["tenant", "plan"]
    search_fields = ["tenant__name", "tenant__slug", "requested_by"]
    actions = ["apply_requests"]

    def has_change_permission(self, request, obj=None):
        # The action needs it; the fields stay read-only (no change form is offered).
        return request.user.is_superuser

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    @admin.action(description=_("Apply the selected requests (change the workspace's plan)"))
    def apply_requests(self, request, queryset):
        applied = 0
        for plan_request in queryset.filter(status=PlanRequest.Status.PENDING).order_by("pk"):
            plan_request_apply(plan_request=plan_request, actor_email=request.user.email)
            applied += 1
        self.message_user(
            request,
            ngettext("%(count)d request applied.", "%(count)d requests applied.", applied)
            % {"count": applied},
            messages.SUCCESS,
        )


# dj-stripe's invoice list reads ``paid``, which invoices of API versions since 2025-03-31 (the
# version configured) no longer carry: the list would fail on every real invoice.
admin.site.unregister(DjstripeInvoice)


@admin.register(DjstripeInvoice)
class MirroredInvoiceAdmin(DjstripeInvoiceAdmin):
    list_display = ("number", "status", "total", "currency", "customer")
    search_fields = ("id", "customer__id", "customer__subscriber__slug")


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
