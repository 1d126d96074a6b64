from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    """WhatsApp for every business: the inbox, the assistant and the reminders customers asked for.

    Other apps plug in through two registries: assistant intents
    (``messaging.assistant.intent_register``) and reminder kinds
    (``messaging.reminders.reminder_kind_register``). Orders and payments sit below messaging, so
    ``messaging.commerce`` registers their intents ("my order", "pay online") and the "order ready"
    reminder itself.
    """

    name = "messaging"
    verbose_name = _("Messaging")

    def ready(self):
        from messaging import commerce  # noqa: PLC0415
        from messaging.assistant import register_builtin_intents  # noqa: PLC0415  (apps load first)
        from messaging.reminders import register_builtin_kinds  # noqa: PLC0415
        from messaging.selectors import conversations_this_month  # noqa: PLC0415
        from plans.usage import usage_counter_register  # noqa: PLC0415

        register_builtin_intents()
        commerce.register()
        register_builtin_kinds()
        usage_counter_register("conversations_per_month", conversations_this_month)
