"""A workspace's subdomain: sign-in (allauth) and the workspace itself. No Django admin here."""

from django.urls import include, path

urlpatterns = [
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("inventory.urls")),
]
