"""Payments to the business (not the platform's own Stripe billing): the workspace's connections
to MercadoPago and Wompi, payment links for anything owed, the payments the providers report, and
the notifications already handled. Tenant schema.

Credentials are encrypted at rest (django-fernet-encrypted-fields, settings.SALT_KEY) and never
shown again after saving. A payable ("what is owed") is named by ``kind`` and ``ref`` and described
by the app that owns it (payments.payables), so apps above this one plug in without being imported.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField

from core.models import TimeStampedModel
from inventory.models.fields import money_field


class Provider(models.TextChoices):
    MERCADOPAGO = "mercadopago", "MercadoPago"
    WOMPI = "wompi", "Wompi"


class ProviderConnection(TimeStampedModel):
    """One provider account of the business. ``route_token`` is the id we issued for its
    notifications: ``/hooks/<provider>/<workspace slug>.<route_token>/`` on the bare domain."""

    provider = models.CharField(_("provider"), max_length=16, choices=Provider.choices, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    route_token = models.CharField(max_length=64, unique=True)
    # MercadoPago: the access token (APP_USR-…) and the webhooks' secret signature.
    access_token = EncryptedCharField(_("access token"), max_length=300, null=True, blank=True)
    webhook_secret = EncryptedCharField(_("webhook secret"), max_length=300, null=True, blank=True)
    # Wompi: the public key is public (it goes into the checkout URL); the rest are secrets.
    public_key = models.CharField(_("public key"), max_length=120, blank=True)
    private_key = EncryptedCharField(_("private key"), max_length=300, null=True, blank=True)
    events_secret = EncryptedCharField(_("events secret"), max_length=300, null=True, blank=True)
    integrity_secret = EncryptedCharField(_("integrity secret"), max_length=300, null=True, blank=True)
    # What the last "check connection" found (the provider's name for the account).
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    check_ok = models.BooleanField(_("connection works"), default=False)
    check_message = models.CharField(_("check result"), max_length=200, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("payment provider connection")
        verbose_name_plural = _("payment provider connections")
        ordering = ["provider"]

    def __str__(self):
        return self.get_provider_display()


class ManualCharge(TimeStampedModel):
    """A manual amount someone is asked to pay (the "manual" payable)."""

    description = models.CharField(_("description"), max_length=200)
    amount = money_field(_("amount"))
    payer_name = models.CharField(_("payer"), max_length=160, blank=True)
    payer_email = models.EmailField(_("payer email"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("manual charge")
        verbose_name_plural = _("manual charges")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="manual_charge_amount_positive")
        ]

    def __str__(self):
        return self.description


class PaymentLink(TimeStampedModel):
    """A link that opens the provider's checkout for what a payable owed when it was made (the
    amount is a snapshot: a family balance paid by other means meanwhile does not change it)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for payment")
        PAID = "paid", _("Paid")
        REFUNDED = "refunded", _("Refunded")
        CANCELLED = "cancelled", _("Cancelled")

    token = models.CharField(max_length=64, unique=True)  # in the link: unguessable
    reference = models.CharField(max_length=40, unique=True)  # what the provider echoes back
    kind = models.CharField(_("kind"), max_length=32)
    ref = models.CharField(max_length=64)
    provider = models.CharField(_("provider"), max_length=16, choices=Provider.choices)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    amount = money_field(_("amount"))
    currency = models.CharField(_("currency"), max_length=3)
    description = models.CharField(_("description"), max_length=200)
    payer_name = models.CharField(_("payer"), max_length=160, blank=True)
    payer_email = models.EmailField(_("payer email"), blank=True)
    return_url = models.URLField(max_length=500, blank=True)
    # MercadoPago: the Checkout Pro preference made for this link.
    checkout_id = models.CharField(max_length=120, blank=True)
    checkout_url = models.URLField(max_length=1000, blank=True)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("payment link")
        verbose_name_plural = _("payment links")
        ordering = ["-created_at", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_link_amount_positive")]
        indexes = [models.Index(fields=["kind", "ref"], name="payment_link_payable")]

    def __str__(self):
        return self.description


class ProviderPayment(TimeStampedModel):
    """A payment the provider reported for a link, with its current status.

    Out of order is handled here: once approved, only a refund moves it (a late "rejected" is
    ignored); a refund is final. ``settled`` says the payable's on_paid ran for it.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        REFUNDED = "refunded", _("Refunded")

    link = models.ForeignKey(PaymentLink, on_delete=models.PROTECT, related_name="payments")
    provider = models.CharField(_("provider"), max_length=16, choices=Provider.choices)
    provider_payment_id = models.CharField(_("provider's payment id"), max_length=80)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    provider_status = models.CharField(_("provider's status"), max_length=40, blank=True)
    amount = money_field(_("amount"))
    currency = models.CharField(_("currency"), max_length=3)
    method = models.CharField(_("payment method"), max_length=60, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    settled = models.BooleanField(default=False)
    reversed = models.BooleanField(default=False)
    # Why the payable could not be settled (e.g. the quote had expired): shown on the list.
    problem = models.CharField(_("problem"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("online payment")
        verbose_name_plural = _("online payments")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "provider_payment_id"], name="provider_payment_once"),
        ]

    def __str__(self):
        return f"{self.get_provider_display()} {self.provider_payment_id}"


class Notification(models.Model):
    """A provider notification already handled: each one (by its unique event id) once."""

    provider = models.CharField(max_length=16, choices=Provider.choices)
    event_id = models.CharField(max_length=128)
    payment_id = models.CharField(max_length=80, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=120, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="payment_notification_once")
        ]

    def __str__(self):
        return f"{self.provider} {self.event_id}"
