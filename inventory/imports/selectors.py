"""Reads of imports: the list, one import by id (scoped and permission-checked), its preview and
its progress."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import translation

from accounts.permissions import Perm
from core.money import locale_for
from inventory.exceptions import InventoryError
from inventory.imports.columns import Field, columns_map
from inventory.imports.numbers import NumberColumn, number_columns_detect, number_plain
from inventory.imports.reading import table_read
from inventory.imports.services import progress_key
from inventory.imports.values import number_parse
from inventory.models import ImportJob
from inventory.selectors.common import object_get
from tenants.selectors import tenant_current

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
class PreviewCell:
    text: str
    read: str = ""  # a numeric cell as it will be read ("4500,00"); "" otherwise or while ambiguous


@dataclass(frozen=True)
class Preview:
    columns: list[PreviewColumn]
    rows: list[list[PreviewCell]]
    missing: list[Field]
    error: str = ""
    numbers: list[NumberColumn] = ()

    @property
    def ambiguous(self) -> list[NumberColumn]:
        return [column for column in self.numbers if column.ambiguous]


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
    numbers = number_columns_detect(table=table, mapping=mapping, chosen=job.number_formats)
    conventions = {column.index: column.convention for column in numbers}
    tenant = tenant_current()
    locale = locale_for(translation.get_language() or "es", tenant.country if tenant else None)
    rows = []
    for _line, values in table.rows[:PREVIEW_ROWS]:
        cells = []
        for index in range(len(columns)):
            value = values[index] if index < len(values) else ""
            cells.append(PreviewCell(str(value), _read(value, conventions.get(index), locale)))
        rows.append(cells)
    return Preview(columns, rows, mapping.missing, numbers=numbers)


def _read(value, convention: str | None, locale: str) -> str:
    if not convention or value in ("", None):
        return ""
    try:
        number = (
            Decimal(str(value)) if isinstance(value, int | float) else number_parse(str(value), convention)
        )
    except (ValueError, ArithmeticError):
        return ""
    return number_plain(number, locale)
