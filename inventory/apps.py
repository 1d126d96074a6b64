from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    name = "inventory"
    verbose_name = _("Inventory")

    def ready(self):
        # Plans (public) count what a workspace has through counters that the owning app registers.
        from inventory.selectors.usage import register_usage_counters  # imports models: not at the top

        register_usage_counters()
