"""The public site: plans, signup, legal pages."""

from django.urls import path

from tenants import views

app_name = "public"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("signup/", views.signup, name="signup"),
    path("signin/", views.sign_in, name="sign_in"),
    path("legal/<slug:document>/", views.legal, name="legal"),
]
