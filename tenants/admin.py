"""The platform's Django admin (public schema): workspaces, their events and deletions, and the
platform page. Status and plan change only through the actions, which call the services and so
leave a ``TenantEvent``. The platform page itself is added by billing (billing/admin.py)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.views.main import ChangeList
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django_tenants.admin import TenantAdminMixin

from plans.models import Plan
from tenants.data_rights import NoPendingDeletion, workspace_restore
from tenants.lifecycle import (
    TRIAL_EXTENSION_DAYS,
    StatusChangeRefused,
    tenant_change_plan,
    tenant_extend_trial,
    tenant_reactivate,
    tenant_suspend,
)
from tenants.models import Domain, Tenant, TenantEvent, WorkspaceDeletion
from tenants.platform_stats import tenant_user_stats


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0


class TenantEventInline(admin.TabularInline):
    model = TenantEvent
    fields = ["created_at", "action", "actor_email", "data"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["-created_at", "-id"]
    verbose_name_plural = _("history")

    def has_add_permission(self, request, obj=None):
        return False


class TenantChangeList(ChangeList):
    """Adds each row's user figures, for the whole page in one UNION query (see platform_stats)."""

    def get_results(self, request):
        super().get_results(request)
        rows = list(self.result_list)  # evaluates the page once; the template reuses these objects
        stats = tenant_user_stats([tenant.schema_name for tenant in rows])
        for tenant in rows:
            tenant.user_stats = stats.get(tenant.schema_name)


class ChangePlanForm(forms.Form):
    plan = forms.ModelChoiceField(queryset=Plan.objects.order_by("rank"), label=_("New plan"))


@admin.register(Tenant)
class TenantAdmin(TenantAdminMixin, admin.ModelAdmin):
    list_display = [
        "name",
        "slug",
        "plan",
        "status",
        "kind",
        "created_at",
        "trial_ends_at",
        "users",
        "last_activity",
    ]
    list_filter = ["status", "kind", "plan", "country", "currency"]
    list_select_related = ["plan"]
    search_fields = ["name", "slug", "email", "schema_name", "domains__domain"]
    date_hierarchy = "created_at"
    readonly_fields = ["schema_name", "created_at", "updated_at"]
    inlines = [DomainInline, TenantEventInline]
    actions = ["suspend", "reactivate", "extend_trial", "change_plan", "restore"]

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(schema_name="public")

    def has_delete_permission(self, request, obj=None):
        # Deleting the row would leave its schema behind (auto_drop_schema is off): workspaces
        # go through the owner's deletion request and the purge task instead.
        return False

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.readonly_fields
        # Status, plan and trial change through the actions, so each change is recorded.
        return [*self.readonly_fields, "status", "plan", "trial_ends_at"]

    def get_changelist(self, request, **kwargs):
        return TenantChangeList

    @admin.display(description=_("users"))
    def users(self, tenant):
        stats = getattr(tenant, "user_stats", None)
        return stats.active_users if stats else "—"

    @admin.display(description=_("last activity"))
    def last_activity(self, tenant):
        stats = getattr(tenant, "user_stats", None)
        return stats.last_login if stats and stats.last_login else "—"

    # --- Actions ----------------------------------------------------------------------------

    def _apply(self, request, queryset, change, done_message, message_args=None, **kwargs):
        done, refused = 0, []
        for tenant in queryset:
            try:
                change(tenant=tenant, actor_email=request.user.email, **kwargs)
            except (StatusChangeRefused, NoPendingDeletion) as error:
                refused.append(str(error))
            else:
                done += 1
        if done:
            self.message_user(
                request, done_message % {"count": done, **(message_args or {})}, messages.SUCCESS
            )
        for message in refused:
            self.message_user(request, message, messages.WARNING)

    @admin.action(description=_("Suspend the selected workspaces"))
    def suspend(self, request, queryset):
        self._apply(request, queryset, tenant_suspend, _("Suspended %(count)d workspace(s)."))

    @admin.action(description=_("Reactivate the selected workspaces"))
    def reactivate(self, request, queryset):
        self._apply(request, queryset, tenant_reactivate, _("Reactivated %(count)d workspace(s)."))

    @admin.action(description=_("Extend the trial by 14 days"))
    def extend_trial(self, request, queryset):
        self._apply(
            request,
            queryset,
            tenant_extend_trial,
            _("Extended the trial of %(count)d workspace(s)."),
            days=TRIAL_EXTENSION_DAYS,
        )

    @admin.action(description=_("Restore (undo the deletion)"))
    def restore(self, request, queryset):
        self._apply(request, queryset, workspace_restore, _("Restored %(count)d workspace(s)."))

    @admin.action(description=_("Change the plan…"))
    def change_plan(self, request, queryset):
        form = ChangePlanForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            plan = form.cleaned_data["plan"]
            self._apply(
                request,
                queryset,
                tenant_change_plan,
                _("Moved %(count)d workspace(s) to the plan %(plan)s."),
                message_args={"plan": plan.name},
                plan=plan,
            )
            return None  # back to the list
        context = {
            **self.admin_site.each_context(request),
            "title": _("Change the plan"),
            "opts": self.model._meta,
            "tenants": queryset,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "action": "change_plan",
        }
        return TemplateResponse(request, "admin/tenants/tenant/change_plan.html", context)

    # --- Pages added by apps above tenants ---------------------------------------------------

    # (route, view, url name) triples that apps above tenants add in their admin module (billing
    # adds the platform page, whose money figures tenants may not import). Each view receives
    # (model_admin, request) and is wrapped by the admin site's permission check.
    extra_pages: list[tuple[str, object, str]] = []

    def get_urls(self):
        custom = [
            path(route, self.admin_site.admin_view(lambda request, view=view: view(self, request)), name=name)
            for route, view, name in self.extra_pages
        ]
        return custom + super().get_urls()


@admin.register(TenantEvent)
class TenantEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "tenant_slug", "action", "actor_email", "data"]
    list_filter = ["action"]
    search_fields = ["tenant_slug", "actor_email"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WorkspaceDeletion)
class WorkspaceDeletionAdmin(admin.ModelAdmin):
    list_display = [
        "tenant_slug",
        "requested_by_email",
        "requested_at",
        "purge_after",
        "purged_at",
        "restored_at",
    ]
    list_filter = [("purged_at", admin.EmptyFieldListFilter), ("restored_at", admin.EmptyFieldListFilter)]
    search_fields = ["tenant_slug", "requested_by_email"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
