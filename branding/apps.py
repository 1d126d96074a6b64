from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BrandingConfig(AppConfig):
    """Each workspace's logo and colours (tenant schema); fills the layout's CSS variables."""

    name = "branding"
    verbose_name = _("Branding")
