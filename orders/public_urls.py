"""The ordering page under /pedir/ (buyers, no sign-in): the menu and cart, and an order's status."""

from django.urls import path

from orders import views

app_name = "ordering"

urlpatterns = [
    path("", views.order_page, name="page"),
    path("<str:token>/", views.order_status_page, name="status"),
]
