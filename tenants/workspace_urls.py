"""The workspace's own settings and data rights (workspace subdomain)."""

from django.urls import path  # noqa: F401 - filled by the lifecycle screens

app_name = "workspace_admin"

urlpatterns = []
