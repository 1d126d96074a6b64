"""Backups of one workspace (public schema): where each archive is and what it holds."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.models import Tenant


class WorkspaceBackup(models.Model):
    """One archive in the backup store: the workspace's schema, its public rows and media files.

    The slug and schema are copied so the row still says whose backup it is after the workspace
    itself is gone (a backup outlives the workspace it saves, until retention drops it).
    """

    class Status(models.TextChoices):
        OK = "ok", _("Complete")
        FAILED = "failed", _("Failed")

    tenant = models.ForeignKey(
        Tenant,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="backups",
        verbose_name=_("workspace"),
    )
    tenant_slug = models.SlugField(_("subdomain"), max_length=40)
    schema_name = models.CharField(_("schema"), max_length=63)
    created_at = models.DateTimeField(_("taken at"), db_index=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices)
    # Key of the archive in the backup store (settings.BACKUP_STORAGE); empty when it failed.
    path = models.CharField(_("file"), max_length=255, blank=True)
    size_bytes = models.BigIntegerField(_("size (bytes)"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    tables = models.PositiveIntegerField(_("tables"), default=0)
    rows = models.BigIntegerField(_("rows"), default=0)
    media_files = models.PositiveIntegerField(_("media files"), default=0)
    error = models.TextField(_("error"), blank=True)
    # The last restore of this archive: the schema it made and what the check found.
    restored_schema = models.CharField(_("restored into"), max_length=63, blank=True)
    restored_at = models.DateTimeField(_("restored at"), null=True, blank=True)
    restored_by = models.CharField(_("restored by (email)"), max_length=254, blank=True)
    # True when the workspace was then served from the restored schema.
    restored_switched = models.BooleanField(_("workspace switched to it"), default=False)

    class Meta:
        verbose_name = _("workspace backup")
        verbose_name_plural = _("workspace backups")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["tenant_slug", "-created_at"], name="backup_slug_created")]

    def __str__(self):
        return f"{self.tenant_slug} {self.created_at:%Y-%m-%d %H:%M}"
