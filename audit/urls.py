from django.urls import path  # noqa: F401 - filled by the audit log screens

app_name = "audit"

urlpatterns = []
