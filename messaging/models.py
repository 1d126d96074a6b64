"""WhatsApp in a workspace: the connected number, conversations per customer, messages with their
delivery statuses, quick replies, approved templates, consent records and reminders sent. Tenant
schema (the public phone-number id → workspace table is ``whatsapp_routes``)."""

from datetime import time

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField

from core.models import TimeStampedModel
from customers.models import Customer


class WhatsAppAccount(TimeStampedModel):
    """The workspace's WhatsApp Business number (one per workspace).

    The access token is encrypted at rest (Fernet, key from FIELD_ENCRYPTION_KEY) and never shown
    again after it is entered; the data export leaves it out (a field named ``*_token``).
    """

    singleton = models.PositiveSmallIntegerField(default=1, unique=True, editable=False)
    phone_number_id = models.CharField(_("phone number ID"), max_length=32, unique=True)
    business_account_id = models.CharField(_("WhatsApp Business account ID"), max_length=32)
    access_token = EncryptedCharField(_("access token"), max_length=1024)
    display_phone_number = models.CharField(_("number"), max_length=32, blank=True)
    verified_name = models.CharField(_("verified name"), max_length=160, blank=True)
    connected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    assistant_enabled = models.BooleanField(_("assistant answers"), default=True)
    retention_months = models.PositiveSmallIntegerField(_("keep messages for (months)"), default=12)
    # Reminders wait outside quiet hours (workspace time) and go out at most this many an hour.
    quiet_from = models.TimeField(_("quiet from"), default=time(21, 0))
    quiet_until = models.TimeField(_("quiet until"), default=time(8, 0))
    reminders_per_hour = models.PositiveIntegerField(_("reminders per hour"), default=60)

    class Meta:
        verbose_name = _("WhatsApp number")
        verbose_name_plural = _("WhatsApp numbers")
        constraints = [
            models.CheckConstraint(condition=Q(retention_months__gte=1), name="whatsapp_retention_positive"),
            models.CheckConstraint(condition=Q(singleton=1), name="whatsapp_account_one"),
        ]

    def __str__(self):
        return self.display_phone_number or self.phone_number_id


class Conversation(TimeStampedModel):
    """Everything said with one customer on WhatsApp."""

    customer = models.OneToOneField(
        Customer, on_delete=models.CASCADE, related_name="whatsapp_conversation", verbose_name=_("customer")
    )
    # The customer's WhatsApp id (digits of the number, as Meta sends it in ``from``).
    wa_id = models.CharField(_("WhatsApp id"), max_length=20, unique=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="whatsapp_conversations",
        verbose_name=_("assigned to"),
    )
    # A person took over: the assistant stays quiet in this conversation.
    handed_over_at = models.DateTimeField(_("handed over at"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=5, default="es")
    last_inbound_at = models.DateTimeField(_("last message from the customer"), null=True, blank=True)
    last_message_at = models.DateTimeField(_("last message"), null=True, blank=True)
    unread_count = models.PositiveIntegerField(_("unread"), default=0)
    # What the assistant asked last (a list of sessions to book, etc.), so a reply can refer to it.
    assistant_state = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["-last_message_at", "-pk"]
        indexes = [models.Index(fields=["-last_message_at"], name="conversation_recent")]

    def __str__(self):
        return f"{self.customer} ({self.wa_id})"


class Message(models.Model):
    """One WhatsApp message in or out, or an internal note (never sent)."""

    class Direction(models.TextChoices):
        IN = "in", _("From the customer")
        OUT = "out", _("To the customer")
        NOTE = "note", _("Internal note")

    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        INTERACTIVE = "interactive", _("Buttons or list")
        TEMPLATE = "template", _("Template")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        READ = "read", _("Read")
        FAILED = "failed", _("Failed")

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    # Meta's message id (wamid.…): a webhook delivered twice stores the message once.
    wamid = models.CharField(max_length=160, unique=True, null=True, blank=True)
    direction = models.CharField(_("direction"), max_length=4, choices=Direction.choices)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.TEXT)
    body = models.TextField(_("text"), blank=True)
    # Buttons or list rows offered, the reply chosen, or a template's name and parameters.
    payload = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    # Statuses only move forward (sent < delivered < read): Meta may deliver them out of order.
    status_rank = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(_("error"), max_length=300, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_assistant = models.BooleanField(default=False)
    # When it was said: Meta's timestamp for a message received, ours for one sent.
    sent_at = models.DateTimeField(_("at"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["sent_at", "pk"]
        indexes = [
            models.Index(fields=["conversation", "sent_at"], name="message_in_order"),
            models.Index(fields=["sent_at"], name="message_age"),
        ]

    def __str__(self):
        return self.body[:60]


STATUS_RANK = {
    Message.Status.RECEIVED: 0,
    Message.Status.QUEUED: 0,
    Message.Status.SENT: 1,
    Message.Status.FAILED: 2,
    Message.Status.DELIVERED: 3,
    Message.Status.READ: 4,
}


class QuickReply(TimeStampedModel):
    """A saved answer the team inserts with one tap."""

    title = models.CharField(_("title"), max_length=60, unique=True)
    body = models.TextField(_("text"), max_length=1000)

    class Meta:
        verbose_name = _("quick reply")
        verbose_name_plural = _("quick replies")
        ordering = ["title"]

    def __str__(self):
        return self.title


class MessageTemplate(TimeStampedModel):
    """A template Meta approved for this number: the only way to write outside the 24-hour window.

    ``purpose`` names the reminder kind it serves (blank: the team picks it in the inbox). The
    body is the approved text with {{1}}, {{2}}… where the parameters go.
    """

    name = models.CharField(_("name"), max_length=120)
    language = models.CharField(_("language"), max_length=8, default="es")
    body = models.TextField(_("text"))
    purpose = models.CharField(_("used for"), max_length=40, blank=True)
    is_approved = models.BooleanField(_("approved by Meta"), default=True)

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        ordering = ["name", "language"]
        constraints = [models.UniqueConstraint(fields=["name", "language"], name="template_name_language")]

    def __str__(self):
        return f"{self.name} ({self.language})"

    def render(self, params: list[str]) -> str:
        text = self.body
        for index, value in enumerate(params, start=1):
            text = text.replace(f"{{{{{index}}}}}", str(value))
        return text


class ConsentRecord(models.Model):
    """A customer said yes or no to WhatsApp messages from the business (the latest one counts)."""

    class Choice(models.TextChoices):
        OPT_IN = "opt_in", _("Accepts WhatsApp messages")
        OPT_OUT = "opt_out", _("Does not want WhatsApp messages")

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="whatsapp_consents")
    choice = models.CharField(_("choice"), max_length=8, choices=Choice.choices)
    source = models.CharField(_("how"), max_length=40)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("WhatsApp consent")
        verbose_name_plural = _("WhatsApp consents")
        ordering = ["-recorded_at", "-pk"]

    def __str__(self):
        return f"{self.customer}: {self.choice}"


class ReminderSent(models.Model):
    """One reminder of one kind about one thing (a session, a charge…): sent once, whatever the beat does."""

    kind = models.CharField(max_length=40)
    key = models.CharField(max_length=120)
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+")
    message = models.ForeignKey(Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="reminder_once")]

    def __str__(self):
        return f"{self.kind}:{self.key}"


class ConversationMonth(models.Model):
    """A conversation that was open in a month: what the plan's monthly limit counts."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="months")
    month = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "month"], name="conversation_month_once")
        ]

    def __str__(self):
        return f"{self.conversation_id} {self.month:%Y-%m}"
