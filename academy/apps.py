from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AcademyConfig(AppConfig):
    name = "academy"
    verbose_name = _("Academy")

    def ready(self):
        # Plans (public) count what a workspace has through counters the owning app registers.
        from academy.usage import register_usage_counters  # noqa: PLC0415  (imports plans at startup)

        register_usage_counters()
