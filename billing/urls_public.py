"""Stripe's webhook on the bare domain (mounted at /stripe/): one endpoint for every event."""

from django.urls import path

from billing import views

app_name = "billing_webhooks"

urlpatterns = [
    path("webhook/", views.stripe_webhook, name="stripe"),
]
