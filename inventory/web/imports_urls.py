"""Routes of the imports screens (included into the `workspace` namespace by inventory/urls.py)."""

from django.urls import path

from inventory.web import imports as views

urlpatterns = [
    path("imports/", views.import_list, name="import_list"),
    path("imports/<int:job_id>/", views.import_detail, name="import_detail"),
    path("imports/<int:job_id>/run/", views.import_run, name="import_run"),
    path("imports/<int:job_id>/numbers/", views.import_numbers, name="import_numbers"),
    path("imports/<int:job_id>/status/", views.import_status, name="import_status"),
]
