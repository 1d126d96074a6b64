"""Workspaces (tenants) and their domains. Public schema."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

from core.models import TimeStampedModel


class Tenant(TenantMixin, TimeStampedModel):
    """One business: its own schema, subdomain, currency, time zone and language."""

    class Kind(models.TextChoices):
        SHOP = "shop", _("Shop")
        ACADEMY = "academy", _("Academy")

    class Status(models.TextChoices):
        TRIAL = "trial", _("Trial")
        ACTIVE = "active", _("Active")
        TRIAL_EXPIRED = "trial_expired", _("Trial expired")
        SUSPENDED = "suspended", _("Suspended")
        CLOSED = "closed", _("Closed")
        # The migrated, empty schema that new workspaces are cloned from (never served).
        TEMPLATE = "template", _("Template")

    name = models.CharField(_("name"), max_length=120)
    # The subdomain: <slug>.<BASE_DOMAIN>. The schema name is derived from it.
    slug = models.SlugField(_("subdomain"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.SHOP)
    # Contact email of the business (also the billing subscriber's email later on).
    email = models.EmailField(_("email"), blank=True)
    country = models.CharField(_("country"), max_length=2, default="AR")
    currency = models.CharField(_("currency"), max_length=3, default="ARS")
    time_zone = models.CharField(_("time zone"), max_length=64, default="America/Argentina/Buenos_Aires")
    language = models.CharField(_("language"), max_length=8, default="es")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.TRIAL)
    trial_ends_at = models.DateTimeField(_("trial ends at"), null=True, blank=True)
    plan = models.ForeignKey(
        "billing.Plan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tenants",
        verbose_name=_("plan"),
    )

    auto_create_schema = True
    auto_drop_schema = False

    class Meta:
        verbose_name = _("workspace")
        verbose_name_plural = _("workspaces")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(currency__regex=r"^[A-Z]{3}$"), name="tenant_currency_iso4217"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_public(self) -> bool:
        return self.schema_name == "public"


class Domain(DomainMixin):
    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")

    def __str__(self):
        return self.domain


class LegalAcceptance(models.Model):
    """Who accepted which version of the Terms or the Privacy policy, when and from where."""

    class Document(models.TextChoices):
        TERMS = "terms", _("Terms of service")
        PRIVACY = "privacy", _("Privacy policy")

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="legal_acceptances")
    email = models.EmailField(_("email"))
    document = models.CharField(_("document"), max_length=16, choices=Document.choices)
    version = models.CharField(_("version"), max_length=20)
    accepted_at = models.DateTimeField(_("accepted at"), auto_now_add=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("legal acceptance")
        verbose_name_plural = _("legal acceptances")

    def __str__(self):
        return f"{self.email} {self.document} {self.version}"
