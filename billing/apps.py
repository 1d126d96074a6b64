from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    """Plans, their Stripe prices and the workspaces' subscriptions (public schema, with dj-stripe)."""

    name = "billing"
    verbose_name = _("Billing")

    def ready(self):
        # tenants (below billing) announces a closed workspace; billing cancels its subscription.
        from billing.receivers import connect  # the receivers import models: not at the top
        from billing.stripe_api import configure_stripe_library

        configure_stripe_library()
        connect()
