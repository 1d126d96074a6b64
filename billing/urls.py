"""The billing pages on a workspace's subdomain (mounted at /billing/), for its owner."""

from django.urls import path

from billing import views

app_name = "billing"

urlpatterns = [
    path("", views.billing_page, name="index"),
    path("checkout/", views.checkout_start, name="checkout"),
    path("portal/", views.portal_start, name="portal"),
    path("request/", views.plan_request, name="request"),
]
