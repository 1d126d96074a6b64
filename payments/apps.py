from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    """Payments to the business: MercadoPago and Wompi connections, payment links, notifications."""

    name = "payments"
    verbose_name = _("Payments")

    def ready(self):
        from payments.services import register_own_kinds  # models are loaded only now

        register_own_kinds()
