"""The people a business serves (students, buyers, guardians). Tenant schema."""

from datetime import date

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


class Family(TimeStampedModel):
    """Several customers who belong together (siblings, a parent and children)."""

    name = models.CharField(_("name"), max_length=120)

    class Meta:
        verbose_name = _("family")
        verbose_name_plural = _("families")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ConsentSource(models.TextChoices):
    FORM = "form", _("Signed form")
    IN_PERSON = "in_person", _("In person")
    WEB = "web", _("Website")
    WHATSAPP = "whatsapp", _("WhatsApp message")
    IMPORT = "import", _("Import")


class CustomerQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def search(self, text: str):
        """Name, document, email or phone containing ``text`` (case-insensitive)."""
        text = (text or "").strip()
        if not text:
            return self
        return self.filter(
            models.Q(full_name__icontains=text)
            | models.Q(document_number__icontains=text)
            | models.Q(email__icontains=text)
            | models.Q(phone__icontains=text.replace(" ", ""))
        )

    def tagged(self, tag: str):
        return self.filter(tags__contains=[tag]) if tag else self


class Customer(TimeStampedModel):
    """A person: a student, a buyer or a guardian. A minor's guardian is the contact and the payer."""

    class DocumentType(models.TextChoices):
        CC = "CC", _("Citizenship card (CC)")
        TI = "TI", _("Identity card (TI)")
        CE = "CE", _("Foreigner ID (CE)")
        PASSPORT = "PA", _("Passport")
        NIT = "NIT", _("Tax ID (NIT)")
        DNI = "DNI", _("National ID (DNI)")
        OTHER = "OT", _("Other")

    full_name = models.CharField(_("full name"), max_length=150)
    document_type = models.CharField(
        _("document type"), max_length=4, choices=DocumentType.choices, default=DocumentType.CC
    )
    document_number = models.CharField(_("document number"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    # E.164 (+573001234567), normalised by the services (customers.phones).
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    tags = ArrayField(models.CharField(max_length=40), default=list, blank=True, verbose_name=_("tags"))
    guardian = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="wards",
        verbose_name=_("guardian"),
    )
    family = models.ForeignKey(
        Family,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("family"),
    )
    marketing_email_consent = models.BooleanField(_("accepts marketing emails"), default=False)
    marketing_email_consent_at = models.DateTimeField(_("email consent given at"), null=True, blank=True)
    marketing_email_consent_source = models.CharField(
        _("email consent given by"), max_length=16, choices=ConsentSource.choices, blank=True
    )
    whatsapp_consent = models.BooleanField(_("accepts WhatsApp messages"), default=False)
    whatsapp_consent_at = models.DateTimeField(_("WhatsApp consent given at"), null=True, blank=True)
    whatsapp_consent_source = models.CharField(
        _("WhatsApp consent given by"), max_length=16, choices=ConsentSource.choices, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = CustomerQuerySet.as_manager()

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["full_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["document_type", "document_number"],
                condition=~models.Q(document_number=""),
                name="customer_document_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(guardian__isnull=True) | ~models.Q(guardian=models.F("id")),
                name="customer_not_own_guardian",
            ),
            models.CheckConstraint(
                condition=models.Q(phone="") | models.Q(phone__regex=r"^\+[1-9][0-9]{6,14}$"),
                name="customer_phone_e164",
            ),
        ]
        indexes = [
            models.Index(Lower("email"), name="customer_email_lower"),
            models.Index(fields=["phone"], name="customer_phone"),
        ]

    def __str__(self):
        return self.full_name

    def age_on(self, day: date) -> int | None:
        if self.birth_date is None:
            return None
        before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - before_birthday

    @property
    def contact(self) -> "Customer":
        """Who is written to: the guardian for a minor with one, else the customer."""
        return self.guardian or self
