from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeesConfig(AppConfig):
    name = "fees"
    verbose_name = _("Tuition and family accounts")

    def ready(self):
        from fees.payables import register  # models are loaded only now

        register()
