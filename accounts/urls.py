"""The team: invitations, roles, deactivation (workspace subdomain)."""

from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("welcome/<str:token>/", views.login_link, name="login_link"),
]
