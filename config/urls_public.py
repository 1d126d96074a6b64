"""The bare domain: the public site (plans, signup, legal) and the platform's Django admin."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("tenants.urls")),
]
