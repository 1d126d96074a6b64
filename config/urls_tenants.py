"""A workspace's subdomain: sign-in (allauth), the team, the audit log, the workspace's settings
and the workspace itself. No Django admin here."""

from django.urls import include, path

from academy import views as academy_views
from branding import views as branding_views
from config import health
from tenants import views as tenant_views

urlpatterns = [
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", tenant_views.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("favicon.ico", branding_views.favicon, name="favicon"),
    path("api/", include("api.urls")),
    path("team/", include("team.urls")),
    path("audit/", include("audit.urls")),
    path("settings/", include("tenants.workspace_urls")),
    path("confirm/", include("tenants.confirm_urls")),
    path("billing/", include("billing.urls")),
    path("forecasts/", include("forecasts.urls")),
    path("customers/", include("customers.urls")),
    path("academy/", include("academy.urls")),
    path("memberships/", include("memberships.urls")),
    path("fees/", include("fees.urls")),
    path("payroll/", include("payroll.urls")),
    path("orders/", include("orders.urls")),
    path("pedir/", include("orders.public_urls")),
    path("", include("payments.urls")),
    path("inbox/", include("messaging.urls")),
    # "/" opens on the academy's day for an academy, on the shop's dashboard otherwise.
    path("", academy_views.home_dispatch, name="home_dispatch"),
    path("branding.json", branding_views.branding_json, name="branding_json"),
    path("", include("branding.urls")),
    path("", include("inventory.urls")),
]

# Server errors: a 503 with Retry-After when the database cannot be reached (core/views.py).
handler500 = "core.views.server_error"
