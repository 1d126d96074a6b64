from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    name = "inventory"
    verbose_name = _("Inventory")

    def ready(self):
        # Plans (public) count what a workspace has through counters that the owning app registers.
        from inventory.selectors.usage import register_usage_counters  # imports models: not at the top

        register_usage_counters()

        # Backups (a public app below) save each workspace's product images, which the database
        # names by their whole key (inventory.models.catalogue.product_image_path).
        from django.core.files.storage import default_storage

        from backups.media import MediaSource, media_source_register

        media_source_register(
            MediaSource(
                name="product-images",
                storage=lambda: default_storage,
                prefix=lambda schema_name: f"{schema_name}/products/",
                follows_schema=False,
            )
        )
