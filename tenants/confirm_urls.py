"""The confirmation link of a signup (workspace subdomain, mounted at /confirm/)."""

from django.urls import path

from tenants import confirmation_views as views

app_name = "confirm"

urlpatterns = [
    path("resend/", views.resend, name="resend"),
    path("<str:token>/", views.confirm, name="confirm"),
]
