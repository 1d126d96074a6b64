from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    """Plans and Stripe subscriptions (public schema). dj-stripe arrives with the billing work."""

    name = "billing"
    verbose_name = _("Billing")
