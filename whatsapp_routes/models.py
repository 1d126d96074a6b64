"""phone-number id → workspace (public schema)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


class PhoneNumberRoute(TimeStampedModel):
    """One connected WhatsApp Business number and the workspace it belongs to.

    A phone-number id belongs to one workspace at a time (unique), and a workspace has one number.
    """

    phone_number_id = models.CharField(_("phone number id"), max_length=32, unique=True)
    tenant = models.OneToOneField(
        "tenants.Tenant", on_delete=models.CASCADE, related_name="whatsapp_route", verbose_name=_("workspace")
    )

    class Meta:
        verbose_name = _("WhatsApp route")
        verbose_name_plural = _("WhatsApp routes")

    def __str__(self):
        return f"{self.phone_number_id} → {self.tenant_id}"
