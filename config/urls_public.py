"""The bare domain: the public site (plans, signup, legal) and the platform's Django admin."""

from django.contrib import admin
from django.urls import include, path

from branding import views as branding_views
from tenants import views as tenant_views

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("healthz", tenant_views.healthz, name="healthz"),
    path("favicon.ico", branding_views.favicon, name="favicon"),
    path("stripe/", include("billing.urls_public")),
    path("", include("tenants.urls")),
]
