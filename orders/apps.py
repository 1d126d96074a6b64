from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    """Orders from customers: the ordering page per workspace and the order board at the counter."""

    name = "orders"
    verbose_name = _("Orders")

    def ready(self):
        # The dashboard lives in inventory, below orders: orders adds its panel through the registry.
        from inventory.web.dashboard import dashboard_panel_register  # noqa: PLC0415 (app registry not ready at import)
        from orders.dashboard import orders_panel  # noqa: PLC0415 (imports models)

        dashboard_panel_register(orders_panel)

        # Online payment through the payments app (MercadoPago / Wompi), when the workspace connects one.
        from orders import payables  # noqa: PLC0415 (imports models)

        payables.register()
