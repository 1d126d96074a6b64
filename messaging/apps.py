from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    """WhatsApp for every business: the inbox, the assistant and the reminders customers asked for."""

    name = "messaging"
    verbose_name = _("Messaging")
