from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    """Orders from customers: the ordering page per workspace and the order board at the counter."""

    name = "orders"
    verbose_name = _("Orders")
