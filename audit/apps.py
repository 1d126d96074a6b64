from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """Who did what, when, from where: one workspace's audit log (tenant schema)."""

    name = "audit"
    verbose_name = _("Audit log")

    def ready(self):
        from audit import signals  # the receivers import models: only once the registry is ready

        signals.connect()
