from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WhatsappRoutesConfig(AppConfig):
    """Which workspace owns each connected WhatsApp number (public schema).

    Meta sends every business's messages to one platform webhook on the bare domain; this table
    says, for each phone-number id, whose schema the entry belongs to. It is written by the
    messaging app when a workspace connects or disconnects its number.
    """

    name = "whatsapp_routes"
    verbose_name = _("WhatsApp routes")
