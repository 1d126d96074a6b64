"""Workspaces (tenants) and their domains. Public schema."""

import math
from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

from core.models import TimeStampedModel
from tenants.provisioning import ClonedSchemaMixin


class Tenant(ClonedSchemaMixin, TenantMixin, TimeStampedModel):
    """One business: its own schema, subdomain, currency, time zone and language."""

    class Kind(models.TextChoices):
        SHOP = "shop", _("Shop")
        ACADEMY = "academy", _("Academy")

    class Status(models.TextChoices):
        # Signed up, but the owner has not yet followed the link in the confirmation email: the
        # workspace answers "check your email" and is purged after UNCONFIRMED_PURGE_AFTER.
        UNCONFIRMED = "unconfirmed", _("Waiting for email confirmation")
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
    # What the country calls the business's tax ID (NIT, RUT, RFC, CUIT...), and the sales-tax
    # rate new products start with (tenants.countries sets both at signup; both editable).
    tax_id_label = models.CharField(_("tax ID name"), max_length=20, blank=True)
    default_tax_rate = models.DecimalField(
        _("default tax rate (%)"), max_digits=5, decimal_places=2, default=Decimal("0")
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.TRIAL)
    trial_ends_at = models.DateTimeField(_("trial ends at"), null=True, blank=True)
    plan = models.ForeignKey(
        "plans.Plan",
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

    @property
    def trial_days_left(self) -> int | None:
        """Whole days until the trial ends, counting today's part (None outside a trial)."""
        if self.status != self.Status.TRIAL or self.trial_ends_at is None:
            return None
        seconds = (self.trial_ends_at - timezone.now()).total_seconds()
        return max(0, math.ceil(seconds / 86_400))

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


# --- Life of an account (public schema) --------------------------------------------------------


class TenantEvent(models.Model):
    """What happened to a workspace on the platform side: status and plan changes, by whom.

    Kept after the workspace is purged: ``tenant`` becomes null, ``tenant_ref`` and
    ``tenant_slug`` still say which workspace it was (the platform page's churn reads them).
    """

    class Action(models.TextChoices):
        TRIAL_EXPIRED = "trial_expired", _("Trial expired")
        TRIAL_EXTENDED = "trial_extended", _("Trial extended")
        SUSPENDED = "suspended", _("Suspended")
        REACTIVATED = "reactivated", _("Reactivated")
        PLAN_CHANGED = "plan_changed", _("Plan changed")
        CLOSED = "closed", _("Closed (deletion requested)")
        RESTORED = "restored", _("Restored (deletion undone)")
        PURGED = "purged", _("Purged (schema dropped)")
        CONFIRMED = "confirmed", _("Email confirmed (trial started)")

    tenant = models.ForeignKey(
        Tenant,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("workspace"),
    )
    # The workspace's id, kept after the row is gone (ids are never reused).
    tenant_ref = models.PositiveBigIntegerField(_("workspace id"), db_index=True)
    tenant_slug = models.CharField(_("subdomain"), max_length=40)
    action = models.CharField(_("action"), max_length=32, choices=Action.choices, db_index=True)
    # Empty when the platform itself acted (the trial expiry task, the purge task).
    actor_email = models.CharField(_("who (email)"), max_length=254, blank=True)
    # {"from": status, "to": status} for status changes; other details otherwise.
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("workspace event")
        verbose_name_plural = _("workspace events")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.tenant_slug} {self.action}"


class WorkspaceDeletion(models.Model):
    """An owner's request to delete a workspace: closed at once, schema dropped after the grace.

    The row is kept after the purge, as the record that the data was deleted and when.
    """

    tenant = models.ForeignKey(
        Tenant,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deletions",
        verbose_name=_("workspace"),
    )
    tenant_slug = models.CharField(_("subdomain"), max_length=40)
    schema_name = models.CharField(_("schema"), max_length=63)
    # The status to go back to if the deletion is undone.
    previous_status = models.CharField(_("previous status"), max_length=16, choices=Tenant.Status.choices)
    requested_by_email = models.CharField(_("requested by"), max_length=254)
    requested_at = models.DateTimeField(_("requested at"))
    purge_after = models.DateTimeField(_("purge after"), db_index=True)
    purged_at = models.DateTimeField(_("purged at"), null=True, blank=True)
    restored_at = models.DateTimeField(_("restored at"), null=True, blank=True)

    class Meta:
        verbose_name = _("workspace deletion")
        verbose_name_plural = _("workspace deletions")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant"],
                condition=models.Q(purged_at__isnull=True, restored_at__isnull=True),
                name="workspace_deletion_one_pending_per_tenant",
            ),
            models.CheckConstraint(
                condition=~models.Q(purged_at__isnull=False, restored_at__isnull=False),
                name="workspace_deletion_purged_or_restored",
            ),
        ]

    def __str__(self):
        return f"{self.tenant_slug} {self.requested_at:%Y-%m-%d}"

    @property
    def is_pending(self) -> bool:
        return self.purged_at is None and self.restored_at is None


class DataExport(models.Model):
    """One export of a workspace's data (a zip of CSV and JSON), built by a Celery task.

    Public schema with a tenant key (the ``tenants`` app is a shared app): every read goes
    through a selector that filters by the workspace.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("In progress")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    tenant = models.ForeignKey(
        Tenant, on_delete=models.CASCADE, related_name="data_exports", verbose_name=_("workspace")
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    # Relative to MEDIA_ROOT: exports/<schema>/<random>.zip, never served as a media URL.
    file = models.FileField(_("file"), upload_to="exports/", max_length=255, blank=True)
    # The requester lives in the workspace's schema: no foreign key across schemas.
    requested_by_id = models.BigIntegerField(_("requested by (id)"))
    requested_by_email = models.CharField(_("requested by"), max_length=254)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now, db_index=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Written with every step of the build: a running export whose heartbeat stopped lost its
    # worker (tenants.data_rights.data_exports_reap_stalled marks it failed).
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__gte=0, progress__lte=100), name="data_export_progress_0_100"
            ),
        ]

    def __str__(self):
        return f"{self.tenant_id} export {self.created_at:%Y-%m-%d %H:%M}"
