from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    """What each plan allows (limits, features) and its list prices (public schema)."""

    name = "plans"
    verbose_name = _("Plans")
