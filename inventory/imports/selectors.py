"""Reads of imports: the list, one import by id (scoped and permission-checked), its preview and
its progress."""

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import QuerySet

from accounts.permissions import Perm
from inventory.exceptions import InventoryError
from inventory.imports.columns import Field, columns_map
from inventory.imports.reading import table_read
from inventory.imports.services import progress_key
from inventory.models import ImportJob
from inventory.selectors.common import object_get

PREVIEW_ROWS = 10


def import_job_list() -> QuerySet[ImportJob]:
    """This workspace's imports, newest first, with who uploaded them."""
    return ImportJob.objects.select_related("requested_by", "default_location").order_by("-created_at", "-id")


def import_job_get(*, job_id, user) -> ImportJob:
    """One import of this workspace (IMPORT_DATA); NotFound when missing or not allowed."""
    return object_get(import_job_list(), job_id, user=user, perm=Perm.IMPORT_DATA)


def import_job_progress(*, job: ImportJob) -> int:
    """0-100: the running job's progress (kept in the cache while its transaction is open)."""
    if job.is_active:
        return max(job.progress, int(cache.get(progress_key(job.pk)) or 0))
    return job.progress


@dataclass(frozen=True)
class PreviewColumn:
    header: str
    field: Field | None


@dataclass(frozen=True)
class Preview:
    columns: list[PreviewColumn]
    rows: list[list[str]]
    missing: list[Field]
    error: str = ""


def import_job_preview(*, job: ImportJob) -> Preview:
    """The file's columns, the field each was matched to, the first rows, and the required fields
    no column was found for."""
    try:
        with job.file.open("rb") as handle:
            table = table_read(data=handle.read(), name=job.original_name)
    except (InventoryError, OSError) as error:
        return Preview([], [], [], error=str(error))
    mapping = columns_map(kind=job.kind, headers=table.headers)
    columns = [PreviewColumn(header, mapping.field_of(index)) for index, header in enumerate(table.headers)]
    rows = [
        [str(value) for value in values[: len(columns)]] + [""] * (len(columns) - len(values))
        for _line, values in table.rows[:PREVIEW_ROWS]
    ]
    return Preview(columns, rows, mapping.missing)
