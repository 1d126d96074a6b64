"""Imports of products, opening stock and sales history from CSV or Excel files."""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import connection, models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def import_file_path(instance, filename: str) -> str:
    """Uploaded files live under the workspace's schema name, with a random name."""
    suffix = Path(filename).suffix.lower()[:10]
    return f"imports/{connection.schema_name}/{uuid.uuid4().hex}{suffix}"


class ImportJob(models.Model):
    """One uploaded file and what became of it: previewed, dry-run, imported or refused.

    ``errors`` holds every bad row as ``{"line": n, "column": "...", "message": "..."}`` (line 0:
    about the whole file), written in the language of whoever started the run. ``counts`` says what
    the run found or wrote (rows, products, sales, returns, receipts).
    """

    class Kind(models.TextChoices):
        PRODUCTS = "products", _("Products")
        OPENING_STOCK = "opening_stock", _("Opening stock")
        SALES_HISTORY = "sales_history", _("Sales history")

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Ready to check")
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("In progress")
        CHECKED = "checked", _("Checked, nothing imported")
        FAILED = "failed", _("Refused, nothing imported")
        DONE = "done", _("Imported")

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.UPLOADED)
    dry_run = models.BooleanField(_("dry run"), default=False)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    file = models.FileField(_("file"), upload_to=import_file_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    file_format = models.CharField(max_length=8, default="csv")  # csv or xlsx
    encoding = models.CharField(max_length=16, blank=True)
    delimiter = models.CharField(max_length=1, blank=True)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    # Where rows without a location column go (sales history, opening stock).
    default_location = models.ForeignKey(
        "inventory.Location",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("location"),
    )
    # How the importer said a numeric column writes its numbers, when the file left it ambiguous:
    # {"<column index>": "comma" | "point"} (inventory.imports.numbers).
    number_formats = models.JSONField(_("number formats"), default=dict, blank=True)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    # The language messages are written in (the requester's when they uploaded the file).
    language = models.CharField(max_length=8, default="es")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now, db_index=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=100), name="import_job_progress_0_100"
            ),
        ]

    def __str__(self):
        return _("Import %(number)s") % {"number": self.pk}

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE
