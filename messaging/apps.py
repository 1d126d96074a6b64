from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    """WhatsApp for every business: the inbox, the assistant and the reminders customers asked for.

    Seams the lead wires at merge (from ``orders`` and ``payments``, in their AppConfig.ready):

    - ``messaging.assistant.intent_register(Intent("order_status", words, title, handler))`` and
      ``Intent("payment_link", …)``: the handler takes a ``Context`` and returns a ``Reply``.
    - ``messaging.reminders.reminder_kind_register(ReminderKind("order_ready", due))``, or, for an
      immediate send, ``messaging.reminders.reminder_send_now(kind="order_ready", key=…, customer=…,
      params=[…])`` from a receiver of ``orders.signals.order_status_changed``.
    """

    name = "messaging"
    verbose_name = _("Messaging")

    def ready(self):
        from messaging.assistant import register_builtin_intents  # noqa: PLC0415  (apps load first)
        from messaging.reminders import register_builtin_kinds  # noqa: PLC0415
        from messaging.selectors import conversations_this_month  # noqa: PLC0415
        from plans.usage import usage_counter_register  # noqa: PLC0415

        register_builtin_intents()
        register_builtin_kinds()
        usage_counter_register("conversations_per_month", conversations_this_month)
