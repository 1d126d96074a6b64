"""A workspace's subdomain: sign-in (allauth), the team, the audit log, the workspace's settings
and the workspace itself. No Django admin here."""

from django.urls import include, path

urlpatterns = [
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("team/", include("accounts.urls")),
    path("audit/", include("audit.urls")),
    path("settings/", include("tenants.workspace_urls")),
    path("", include("inventory.urls")),
]
