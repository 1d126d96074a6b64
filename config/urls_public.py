"""The bare domain: the public site (plans, signup, legal) and the platform's Django admin."""

from django.contrib import admin
from django.urls import include, path

from branding import views as branding_views
from config import health
from core import observability
from messaging import webhook as whatsapp_webhook
from tenants import views as tenant_views

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("healthz", tenant_views.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", observability.metrics_view, name="metrics"),
    path("favicon.ico", branding_views.favicon, name="favicon"),
    path("stripe/", include("billing.urls_public")),
    path("hooks/", include("payments.urls_public")),
    path("whatsapp/webhook/", whatsapp_webhook.whatsapp_webhook, name="whatsapp_webhook"),
    path("", include("tenants.urls")),
]

# Server errors: a 503 with Retry-After when the database cannot be reached (core/views.py).
handler500 = "core.views.server_error"
