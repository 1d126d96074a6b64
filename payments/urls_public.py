"""Providers' notifications on the bare domain: /hooks/<provider>/<workspace slug>.<route token>/."""

from django.urls import path

from payments import views

app_name = "payment_hooks"

urlpatterns = [
    path("mercadopago/<str:route>/", views.mercadopago_hook_view, name="mercadopago"),
    path("wompi/<str:route>/", views.wompi_hook_view, name="wompi"),
]
