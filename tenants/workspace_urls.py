"""The workspace's own settings and data rights (workspace subdomain, mounted at /settings/)."""

from django.urls import path

from tenants import workspace_views as views

app_name = "workspace_admin"

urlpatterns = [
    path("", views.settings_index, name="index"),
    path("plan/", views.plan, name="plan"),
    path("data/", views.data, name="data"),
    path("data/export/", views.export_start, name="export_start"),
    path("data/export/<int:export_id>/status/", views.export_status, name="export_status"),
    path("data/export/<int:export_id>/download/", views.export_download, name="export_download"),
    path("delete/", views.delete, name="delete"),
]
