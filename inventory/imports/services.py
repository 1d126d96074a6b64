"""Writes of imports: upload a file, start a run (dry or real), and the run itself.

A run is all or nothing. Every row is checked against the domain's rules (SKU unique, barcode
check digit, quantities, locations, plan limits) inside one transaction, under the same locks the
screens take; a single bad row refuses the whole file and every bad row is reported with its line
number and reason. Only a clean file is written, in bulk, in that same transaction.

What each kind writes:

- products: the products (missing categories are created, top-level);
- opening stock: receipt movements through the stock ledger (``stock_lock(...).post``), one per
  row, with the import named in the movement's reason;
- sales history: past sales (one per invoice and location; one per row without an invoice) and
  returns (negative quantities, invoices starting with "C"). History describes stock that left
  before today's balance, so it moves no stock: posting it would take the opening stock, counted
  today, down a second time. A return's original sale is rarely in the same file (exports are
  cut by date), so each returned invoice is recorded as a voided placeholder sale carrying the
  returned lines and a SaleReturn of them: ``sales_history`` then counts the sales on their day
  and subtracts the returns on theirs, and voided sales add no income. Unknown SKUs become new
  products (named from the description, priced at the first price seen), within the plan's limit.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from accounts.permissions import Perm, has_perm, require_perm
from audit.models import AuditEvent
from audit.services import audit_record
from core import metrics
from core.money import number_text
from inventory.dates import day_start, local_date, month_start, workspace_timezone, workspace_today
from inventory.exceptions import InvalidInput, InvalidStatus, InventoryError
from inventory.imports.bulk import ids_reserve, rows_copy
from inventory.imports.columns import FIELDS, Mapping, columns_map
from inventory.imports.numbers import NumberColumn, number_columns_detect
from inventory.imports.reading import Table, table_read
from inventory.imports.values import (
    COMMA,
    CONVENTIONS,
    cell_raw,
    cell_text,
    date_parse,
    is_number_like,
    number_parse,
)
from inventory.models import (
    Category,
    DocumentCounter,
    ImportJob,
    Location,
    PaymentMethod,
    Product,
    Sale,
    SaleLine,
    SaleReturn,
    SaleReturnLine,
    StockMovement,
)
from inventory.models.fields import ZERO
from inventory.services.common import money, quantity_of, unit_cost
from inventory.services.sales import sales_month_count_add, sales_this_month
from inventory.services.stock import StockChange, stock_lock
from plans.exceptions import PlanLimitReached
from tenants.limits import workspace_limit_check

logger = logging.getLogger(__name__)

Kind = ImportJob.Kind
Status = ImportJob.Status

# Files up to this many rows run in the request; bigger ones run in the background (Celery).
SYNC_MAX_ROWS = 2_000
BATCH = 2_000
# The background job (inventory/imports/tasks.py), enqueued by name.
IMPORT_TASK = "inventory.imports.tasks.import_job_run_task"
HUNDRED = Decimal(100)
UNITS = {
    "unit": Product.Unit.UNIT,
    "unidad": Product.Unit.UNIT,
    "u": Product.Unit.UNIT,
    "un": Product.Unit.UNIT,
    "und": Product.Unit.UNIT,
    "kg": Product.Unit.KG,
    "kilo": Product.Unit.KG,
    "kilogram": Product.Unit.KG,
    "kilogramo": Product.Unit.KG,
    "l": Product.Unit.LITRE,
    "lt": Product.Unit.LITRE,
    "litre": Product.Unit.LITRE,
    "liter": Product.Unit.LITRE,
    "litro": Product.Unit.LITRE,
    "pack": Product.Unit.PACK,
    "paquete": Product.Unit.PACK,
}


# --- Progress (readable while the run's transaction is still open) ---------------------------


def progress_key(job_id: int) -> str:
    # The cache's key function adds the schema, so workspaces never read each other's progress.
    return f"inventory:import-progress:{job_id}"


def heartbeat_key(job_id: int) -> str:
    return f"inventory:import-heartbeat:{job_id}"


def heartbeat_seconds() -> int:
    """How long a running import may go without a sign of life before it counts as stopped."""
    return settings.IMPORT_HEARTBEAT_SECONDS


def _beat(job_id: int) -> None:
    cache.set(heartbeat_key(job_id), 1, heartbeat_seconds())


class Progress:
    """Reports ``done`` of ``total`` as a percentage between ``start`` and ``end`` in the cache:
    the job row itself is only written outside the run's transaction."""

    def __init__(self, job_id: int, start: int, end: int, total: int):
        self.key, self.start, self.end, self.total = progress_key(job_id), start, end, max(total, 1)
        self.heartbeat = heartbeat_key(job_id)
        self.last = -1

    def at(self, done: int) -> None:
        percent = self.start + (self.end - self.start) * min(done, self.total) // self.total
        if percent != self.last:
            self.last = percent
            cache.set(self.key, percent, 60 * 60)
            # The run's transaction hides the job row until it ends: its heartbeat is in the cache.
            cache.set(self.heartbeat, 1, heartbeat_seconds())


# --- Upload and start -----------------------------------------------------------------------


def import_job_create(
    *, user, kind: str, file, default_location: Location | None = None, language: str | None = None
) -> ImportJob:
    """Keep an uploaded file for import (IMPORT_DATA: owners and admins) and read it once to
    detect its format, encoding and delimiter and count its rows. Raises InvalidInput when the
    file cannot be read; nothing is imported yet."""
    require_perm(user, Perm.IMPORT_DATA)
    if kind not in Kind.values:
        raise InvalidInput(_("Choose what the file holds."))
    if default_location is not None and not default_location.is_active:
        raise InvalidInput(_("%(location)s is not active.") % {"location": default_location.name})
    file.seek(0)
    data = file.read()
    name = getattr(file, "name", "") or "import.csv"
    table = table_read(data=data, name=name)
    file.seek(0)
    job = ImportJob(
        kind=kind,
        file_format=table.file_format,
        encoding=table.encoding,
        delimiter=table.delimiter,
        total_rows=len(table.rows),
        original_name=name.rsplit("/", 1)[-1][:255],
        default_location=default_location,
        language=(language or translation.get_language() or "es")[:8],
        requested_by=user,
    )
    job.file.save(job.original_name, file, save=False)
    job.save()
    return job


def import_job_start(*, job: ImportJob, user, dry_run: bool) -> ImportJob:
    """Check (``dry_run``) or import a kept file. Small files run now; bigger ones are queued for
    the background worker (``inventory.imports.tasks``) once this transaction commits.

    A file already imported, or a run under way, is refused (InvalidStatus)."""
    require_perm(user, Perm.IMPORT_DATA)
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.status == Status.DONE:
            raise InvalidStatus(_("This file was already imported."))
        if job.is_active:
            raise InvalidStatus(_("This file is already being processed."))
        ambiguous = _ambiguous_columns(job)
        if ambiguous:
            raise InvalidInput(_ambiguous_message(ambiguous[0]))
        job.status = Status.QUEUED
        job.dry_run = dry_run
        job.progress = 0
        job.errors = []
        job.counts = {}
        job.language = (translation.get_language() or job.language)[:8]
        job.save(update_fields=["status", "dry_run", "progress", "errors", "counts", "language"])
        cache.delete(progress_key(job.pk))
        if job.total_rows > SYNC_MAX_ROWS:
            schema_name = connection.schema_name
            transaction.on_commit(lambda: _send(job.pk, schema_name))
            return job
    return import_job_run(job_id=job.pk) or job


def import_job_numbers_choose(*, job: ImportJob, user, choices: dict[str, str]) -> ImportJob:
    """Say how numeric columns write their numbers (``{"<column index>": "comma" | "point"}``),
    for columns the file leaves ambiguous. A previous check no longer holds, so the job is ready to
    be checked again. Raises InvalidInput for an unknown choice, InvalidStatus once imported or
    while running."""
    require_perm(user, Perm.IMPORT_DATA)
    if any(value not in CONVENTIONS for value in choices.values()):
        raise InvalidInput(_("Choose how the numbers are written."))
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.status == Status.DONE:
            raise InvalidStatus(_("This file was already imported."))
        if job.is_active:
            raise InvalidStatus(_("This file is already being processed."))
        job.number_formats = {**job.number_formats, **{str(key): value for key, value in choices.items()}}
        job.status = Status.UPLOADED
        job.counts = {}
        job.errors = []
        job.save(update_fields=["number_formats", "status", "counts", "errors"])
    return job


def import_job_mapping_set(*, job: ImportJob, user, mapping: dict[str, str]) -> ImportJob:
    """Say which field each column holds (``{"<column index>": "<field name>"}``, "" to leave a
    column out), over what the headers suggested. A previous check no longer holds. Raises
    InvalidInput for a field this kind of import does not take, InvalidStatus once imported."""
    require_perm(user, Perm.IMPORT_DATA)
    names = {field.name for field in FIELDS[job.kind]}
    chosen = [name for name in mapping.values() if name]
    if any(name not in names for name in chosen) or any(not str(key).isdigit() for key in mapping):
        raise InvalidInput(_("Choose a field this import takes."))
    if len(chosen) != len(set(chosen)):
        raise InvalidInput(_("Each field can come from one column only."))
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.status == Status.DONE:
            raise InvalidStatus(_("This file was already imported."))
        if job.is_active:
            raise InvalidStatus(_("This file is already being processed."))
        job.column_map = {str(key): value for key, value in mapping.items()}
        job.status = Status.UPLOADED
        job.counts = {}
        job.errors = []
        job.save(update_fields=["column_map", "status", "counts", "errors"])
    return job


def _ambiguous_columns(job: ImportJob) -> list[NumberColumn]:
    try:
        with job.file.open("rb") as handle:
            table = table_read(data=handle.read(), name=job.original_name)
    except (InventoryError, OSError):
        return []  # the run reports an unreadable file
    mapping = columns_map(kind=job.kind, headers=table.headers, overrides=job.column_map)
    columns = number_columns_detect(table=table, mapping=mapping, chosen=job.number_formats)
    return [column for column in columns if column.ambiguous]


def _ambiguous_message(column: NumberColumn) -> str:
    return _(
        "Choose how the column “%(column)s” writes its numbers (“%(sample)s”): nothing was imported."
    ) % {"column": column.header, "sample": column.sample}


def _send(job_id: int, schema_name: str) -> None:
    # Enqueued by name: the task module imports this one, never the other way round.
    try:
        current_app.send_task(IMPORT_TASK, args=(job_id, schema_name))
    except Exception:  # noqa: BLE001 - the broker (Redis) is down or refused the message
        # Never left "waiting" for a worker that will not come: failed, with the reason; the
        # user runs it again once the background worker is back.
        logger.exception("import %s could not be queued", job_id)
        with schema_context(schema_name):
            job = ImportJob.objects.filter(pk=job_id, status=Status.QUEUED).first()
            if job is not None:
                with translation.override(job.language):
                    message = _(
                        "The background worker could not be reached; nothing was imported. Try again."
                    )
                ImportJob.objects.filter(pk=job_id, status=Status.QUEUED).update(
                    status=Status.FAILED,
                    progress=100,
                    finished_at=timezone.now(),
                    errors=[_error(0, "", message)],
                )


def _stalled(job_id: int, started_at) -> bool:
    """A running job whose worker stopped: no heartbeat, and started longer ago than it allows."""
    if started_at is None or started_at > timezone.now() - timedelta(seconds=heartbeat_seconds()):
        return False
    return cache.get(heartbeat_key(job_id)) is None


def import_job_run(*, job_id: int) -> ImportJob | None:
    """Run a queued job to its end (CHECKED, FAILED or DONE). Safe to run twice: only a queued job
    is claimed, so a second run does nothing and returns None; a task redelivered after its worker
    died (late acknowledgement) claims again the job that worker left running without a heartbeat."""
    now = timezone.now()
    claimed = ImportJob.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=now, progress=1
    )
    if not claimed:
        running = ImportJob.objects.filter(pk=job_id, status=Status.RUNNING).values_list(
            "started_at", flat=True
        )
        started = running.first()
        if started is None or not _stalled(job_id, started):
            return None
        claimed = ImportJob.objects.filter(pk=job_id, status=Status.RUNNING, started_at=started).update(
            started_at=now, progress=1
        )
        if not claimed:
            return None
    _beat(job_id)
    job = ImportJob.objects.select_related("requested_by", "default_location").get(pk=job_id)
    with translation.override(job.language):
        try:
            status, counts, errors = _run(job)
        except Exception:
            logger.exception("import %s stopped", job.pk)
            status, counts = Status.FAILED, {}
            errors = [_error(0, "", _("The import stopped on an unexpected error; nothing was imported."))]
    job.status = status
    job.counts = counts
    job.errors = errors
    job.progress = 100
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "counts", "errors", "progress", "finished_at"])
    cache.delete(progress_key(job.pk))
    cache.delete(heartbeat_key(job.pk))
    metrics.IMPORTS.labels(outcome=status).inc()
    return job


def import_jobs_reap_stalled() -> list[int]:
    """Mark as failed the running jobs of this workspace whose worker stopped (killed, machine
    restarted): no heartbeat for IMPORT_HEARTBEAT_SECONDS. Their transaction was rolled back, so
    nothing was imported; the user reads why and runs the file again. Returns the jobs' ids.

    Does nothing while the cache cannot be reached: a missing heartbeat would then mean nothing."""
    probe = "inventory:import-heartbeat:probe"
    cache.set(probe, 1, 30)
    if cache.get(probe) != 1:
        return []
    reaped = []
    running = ImportJob.objects.filter(status=Status.RUNNING).values_list("pk", "started_at", "language")
    for job_id, started, language in running:
        if not _stalled(job_id, started):
            continue
        with translation.override(language):
            message = _(
                "The import stopped: the background worker was interrupted. "
                "Nothing was imported; run it again."
            )
        if ImportJob.objects.filter(pk=job_id, status=Status.RUNNING, started_at=started).update(
            status=Status.FAILED,
            progress=100,
            finished_at=timezone.now(),
            errors=[_error(0, "", message)],
        ):
            cache.delete(progress_key(job_id))
            reaped.append(job_id)
            logger.warning("import %s stalled (no heartbeat): marked failed", job_id)
    return reaped


def _error(line: int, column: str, message) -> dict:
    return {"line": line, "column": column, "message": str(message)}


def _run(job: ImportJob) -> tuple[str, dict, list[dict]]:
    user = job.requested_by
    if not has_perm(user, Perm.IMPORT_DATA):
        return Status.FAILED, {}, [_error(0, "", _("You may no longer import data in this workspace."))]
    with job.file.open("rb") as handle:
        data = handle.read()
    try:
        table = table_read(data=data, name=job.original_name)
    except InventoryError as error:
        return Status.FAILED, {}, [_error(0, "", error.message)]
    mapping = columns_map(kind=job.kind, headers=table.headers, overrides=job.column_map)
    if mapping.missing:
        return (
            Status.FAILED,
            {"rows": len(table.rows)},
            [
                _error(0, "", _("The file has no column for %(field)s.") % {"field": field.label})
                for field in mapping.missing
            ],
        )
    numbers = number_columns_detect(table=table, mapping=mapping, chosen=job.number_formats)
    ambiguous = [column for column in numbers if column.ambiguous]
    if ambiguous:
        return (
            Status.FAILED,
            {"rows": len(table.rows)},
            [_error(0, column.header, _ambiguous_message(column)) for column in ambiguous],
        )
    importer = IMPORTERS[job.kind](job=job, table=table, mapping=mapping, user=user)
    importer.conventions = {column.field.name: column.convention for column in numbers}
    with transaction.atomic():
        importer.check(Progress(job.pk, 1, 60 if not job.dry_run else 99, len(table.rows)))
        errors = sorted(importer.errors, key=lambda error: error["line"])
        counts = {"rows": len(table.rows), **importer.planned()}
        if errors:
            transaction.set_rollback(True)
            return Status.FAILED, counts, errors
        if job.dry_run:
            transaction.set_rollback(True)
            return Status.CHECKED, counts, []
        counts.update(importer.write(Progress(job.pk, 60, 99, len(table.rows))))
        audit_record(
            action=AuditEvent.Action.IMPORT_APPLIED,
            actor=user,
            target=str(job),
            data={"kind": job.kind, "file": job.original_name, **counts},
        )
    return Status.DONE, counts, []


# --- Checking and writing, kind by kind -----------------------------------------------------------


class Importer:
    """Checks every row (collecting errors), then writes them all; subclasses per kind."""

    def __init__(self, *, job: ImportJob, table: Table, mapping: Mapping, user):
        self.job, self.table, self.mapping, self.user = job, table, mapping, user
        self.errors: list[dict] = []
        self.conventions: dict[str, str] = {}  # numeric field -> COMMA or POINT
        self._headers = {
            field: table.headers[index] if index < len(table.headers) else field
            for field, index in mapping.columns.items()
        }

    def error(self, line: int, field: str, message) -> None:
        self.errors.append(_error(line, self._headers.get(field, field), message))

    def text(self, values, field: str) -> str:
        return cell_text(values, self.mapping.columns.get(field))

    def number(self, line, values, field, *, required=False, minimum=None, default=None):
        """The cell as a Decimal (``default`` when empty); records an error and returns None."""
        raw = cell_raw(values, self.mapping.columns.get(field))
        text = self.text(values, field)
        if not text:
            if required:
                self.error(line, field, _("This value is required."))
                return None
            return default
        convention = self.conventions.get(field, COMMA)
        try:
            number = Decimal(str(raw)) if isinstance(raw, int | float) else number_parse(text, convention)
        except (ValueError, ArithmeticError):
            if is_number_like(text):
                message = _("“%(value)s” is not a number written as %(example)s.") % {
                    "value": text[:40],
                    "example": "1.234,56" if convention == COMMA else "1,234.56",
                }
            else:
                message = _("“%(value)s” is not a number.") % {"value": text[:40]}
            self.error(line, field, message)
            return None
        if minimum is not None and number < minimum:
            self.error(line, field, _("This value cannot be negative."))
            return None
        return number

    def location(self, line, values, locations: dict[str, Location]) -> Location | None:
        name = self.text(values, "location")
        if not name:
            if self.job.default_location is None:
                self.error(
                    line, "location", _("Give a location: add a location column or choose one for the file.")
                )
            return self.job.default_location
        location = locations.get(name.casefold())
        if location is None:
            self.error(line, "location", _("No active location is called “%(name)s”.") % {"name": name[:60]})
        return location

    def active_locations(self) -> dict[str, Location]:
        return {location.name.casefold(): location for location in Location.objects.filter(is_active=True)}

    def products_limit(self, adding: int) -> None:
        if not adding:
            return
        _limit_lock("products")
        try:
            workspace_limit_check(
                resource="products", current=Product.objects.filter(is_active=True).count(), adding=adding
            )
        except PlanLimitReached as error:
            self.errors.append(
                _error(
                    0,
                    "",
                    _("The file adds %(count)s products. %(limit)s")
                    % {"count": number_text(adding), "limit": error.message},
                )
            )

    def check(self, progress: Progress) -> None:
        raise NotImplementedError

    def planned(self) -> dict:
        raise NotImplementedError

    def write(self, progress: Progress) -> dict:
        raise NotImplementedError


def _limit_lock(resource: str) -> None:
    """The advisory lock inventory.services.catalogue takes for plan limits (same key), so an
    import and a product created on screen cannot both pass the last free place."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtext(%s))", [f"{connection.schema_name}:inventory:{resource}"]
        )


def _chunks(items: list, size: int = BATCH):
    for start in range(0, len(items), size):
        yield start, items[start : start + size]


def _validation_messages(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            field: [str(message) for message in messages] for field, messages in error.message_dict.items()
        }
    return {"": [str(message) for message in error.messages]}


class ProductsImporter(Importer):
    CLEAN_EXCLUDE = ["category", "preferred_supplier", "image"]

    def check(self, progress):
        self.products: list[tuple[Product, str, int]] = []  # (unsaved product, category, line)
        first_line_of_sku: dict[str, int] = {}
        first_line_of_barcode: dict[str, int] = {}
        for done, (line, values) in enumerate(self.table.rows):
            errors_before = len(self.errors)
            sku, name = self.text(values, "sku"), self.text(values, "name")
            barcode = self.text(values, "barcode")
            if not sku:
                self.error(line, "sku", _("This value is required."))
            elif sku in first_line_of_sku:
                self.error(
                    line,
                    "sku",
                    _("SKU %(sku)s is repeated: it is already on line %(line)s.")
                    % {"sku": sku, "line": first_line_of_sku[sku]},
                )
            else:
                first_line_of_sku[sku] = line
            if not name:
                self.error(line, "name", _("This value is required."))
            if barcode:
                if barcode in first_line_of_barcode:
                    self.error(
                        line,
                        "barcode",
                        _("Barcode %(barcode)s is repeated: it is already on line %(line)s.")
                        % {"barcode": barcode, "line": first_line_of_barcode[barcode]},
                    )
                else:
                    first_line_of_barcode[barcode] = line
            price = self.number(line, values, "sale_price", required=True, minimum=ZERO)
            cost = self.number(line, values, "cost", minimum=ZERO, default=ZERO)
            tax_rate = self.number(line, values, "tax_rate", minimum=ZERO, default=ZERO)
            if tax_rate is not None and tax_rate > HUNDRED:
                self.error(line, "tax_rate", _("The tax rate must be between 0 and 100."))
            min_stock = self.number(line, values, "min_stock", minimum=ZERO, default=ZERO)
            unit_text = self.text(values, "unit")
            unit = UNITS.get(unit_text.casefold(), None) if unit_text else Product.Unit.UNIT
            if unit is None:
                self.error(
                    line,
                    "unit",
                    _("Unknown unit “%(value)s”: use unit, kg, litre or pack.") % {"value": unit_text[:20]},
                )
            if len(self.errors) == errors_before:
                product = Product(
                    sku=sku,
                    name=name,
                    barcode=barcode,
                    sale_price=money(price),
                    cost=money(cost),
                    tax_rate=tax_rate,
                    unit=unit,
                    min_stock=min_stock,
                )
                try:
                    # Field rules (lengths, digits, the barcode's check digit); uniqueness is
                    # checked below in one query for the whole file.
                    product.full_clean(
                        exclude=self.CLEAN_EXCLUDE, validate_unique=False, validate_constraints=False
                    )
                except ValidationError as error:
                    for field, messages in _validation_messages(error).items():
                        for message in messages:
                            self.error(line, field, message)
                else:
                    self.products.append((product, self.text(values, "category")[:120], line))
            progress.at(done)
        existing = self._check_existing(first_line_of_sku, first_line_of_barcode)
        # The plan's limit is checked with everything else, so one dry run lists every problem.
        self.products_limit(len(first_line_of_sku) - existing)

    def _check_existing(self, lines_of_sku, lines_of_barcode) -> int:
        """Report SKUs and barcodes already taken; returns how many of the SKUs exist."""
        existing = 0
        for _start, skus in _chunks(list(lines_of_sku), 10_000):
            for sku in Product.objects.filter(sku__in=skus).values_list("sku", flat=True):
                existing += 1
                self.error(
                    lines_of_sku[sku], "sku", _("A product with SKU %(sku)s already exists.") % {"sku": sku}
                )
        for _start, barcodes in _chunks(list(lines_of_barcode), 10_000):
            for barcode in Product.objects.filter(barcode__in=barcodes).values_list("barcode", flat=True):
                self.error(
                    lines_of_barcode[barcode],
                    "barcode",
                    _("Another product already has barcode %(barcode)s.") % {"barcode": barcode},
                )
        return existing

    def planned(self):
        return {"products": len(self.products)}

    def write(self, progress):
        names = {name for _product, name, _line in self.products if name}
        categories = {
            category.name.casefold(): category
            for category in Category.objects.filter(parent__isnull=True, name__in=names)
        }
        missing = sorted({name for name in names if name.casefold() not in categories})
        created_categories = Category.objects.bulk_create(
            [Category(name=name) for name in {name.casefold(): name for name in missing}.values()]
        )
        categories.update({category.name.casefold(): category for category in created_categories})
        products = []
        for product, category_name, _line in self.products:
            if category_name:
                product.category = categories[category_name.casefold()]
            products.append(product)
        for start, batch in _chunks(products):
            Product.objects.bulk_create(batch)
            progress.at(start + len(batch))
        return {"products_created": len(products), "categories_created": len(created_categories)}


class OpeningStockImporter(Importer):
    def check(self, progress):
        locations = self.active_locations()
        skus = {self.text(values, "sku") for _line, values in self.table.rows}
        products = {}
        for _start, batch in _chunks(sorted(skus), 10_000):
            products.update({product.sku: product for product in Product.objects.filter(sku__in=batch)})
        self.changes: list[StockChange] = []
        for done, (line, values) in enumerate(self.table.rows):
            errors_before = len(self.errors)
            sku = self.text(values, "sku")
            product = products.get(sku)
            if not sku:
                self.error(line, "sku", _("This value is required."))
            elif product is None:
                self.error(line, "sku", _("No product has SKU %(sku)s.") % {"sku": sku})
            elif not product.tracks_stock:
                self.error(line, "sku", _("%(product)s holds no stock.") % {"product": product.name})
                product = None
            location = self.location(line, values, locations)
            quantity = self.number(line, values, "quantity", required=True)
            cost = self.number(line, values, "unit_cost", minimum=ZERO)
            if product is not None and quantity is not None:
                try:
                    quantity = quantity_of(quantity, product=product)
                except InventoryError as error:
                    self.error(line, "quantity", error.message)
            if len(self.errors) == errors_before:
                cost = unit_cost(product.cost if cost is None else cost)
                self.changes.append(StockChange(product, location, quantity, cost))
            progress.at(done)

    def planned(self):
        return {"receipts": len(self.changes)}

    def write(self, progress):
        locked = stock_lock(places=[(change.product, change.location) for change in self.changes])
        reason = _("Opening stock (import %(number)s)") % {"number": self.job.pk}
        for start, batch in _chunks(self.changes):
            locked.post(
                kind=StockMovement.Kind.RECEIPT,
                changes=batch,
                user=self.user,
                reason=reason,
                refresh_product_cost=True,
            )
            progress.at(start + len(batch))
        return {"receipts_posted": len(self.changes)}


@dataclass(frozen=True)
class HistoryRow:
    line: int
    when: datetime
    product: Product
    quantity: Decimal  # positive; ``is_return`` says which way
    unit_price: Decimal
    location: Location
    invoice: str
    customer: str
    is_return: bool


class SalesHistoryImporter(Importer):
    def check(self, progress):
        tz = workspace_timezone()
        today_start = day_start(workspace_today(tz), tz)
        locations = self.active_locations()
        skus = {self.text(values, "sku") for _line, values in self.table.rows}
        products: dict[str, Product] = {}
        for _start, batch in _chunks(sorted(skus), 10_000):
            products.update({product.sku: product for product in Product.objects.filter(sku__in=batch)})
        self.new_products: dict[str, Product] = {}
        self.rows: list[HistoryRow] = []
        date_column = self.mapping.columns.get("date")
        for done, (line, values) in enumerate(self.table.rows):
            errors_before = len(self.errors)
            raw_date = cell_raw(values, date_column)
            when = None
            if raw_date in ("", None):
                self.error(line, "date", _("This value is required."))
            else:
                try:
                    when = date_parse(raw_date, tz)
                except ValueError:
                    self.error(
                        line,
                        "date",
                        _("“%(value)s” is not a date: write it as 2024-03-31 or 31/03/2024.")
                        % {"value": str(raw_date)[:40]},
                    )
                else:
                    if when >= today_start:
                        self.error(line, "date", _("Sales history must be dated before today."))
            sku = self.text(values, "sku")
            quantity = self.number(line, values, "quantity", required=True)
            price = self.number(line, values, "unit_price")
            if price is not None and price < 0:
                self.error(line, "unit_price", _("A price cannot be negative."))
            product = None
            if not sku:
                self.error(line, "sku", _("This value is required."))
            elif len(sku) > 64:
                self.error(line, "sku", _("A SKU has at most 64 characters."))
            else:
                product = products.get(sku) or self.new_products.get(sku)
                if product is None and len(self.errors) == errors_before:
                    product = self._new_product(sku, values, price)
            if product is not None and quantity is not None:
                try:
                    quantity = quantity_of(quantity, product=product, allow_negative=True)
                except InventoryError as error:
                    self.error(line, "quantity", error.message)
            location = self.location(line, values, locations)
            if len(self.errors) == errors_before:
                invoice = self.text(values, "invoice")[:40]
                self.rows.append(
                    HistoryRow(
                        line=line,
                        when=when,
                        product=product,
                        quantity=abs(quantity),
                        unit_price=money(product.sale_price if price is None else price),
                        location=location,
                        invoice=invoice,
                        customer=_customer(self.text(values, "customer")),
                        is_return=quantity < 0 or invoice.upper().startswith("C"),
                    )
                )
            progress.at(done)
        self.products_limit(len(self.new_products))
        self.groups = self._groups()
        self._sales_limit()

    def _new_product(self, sku: str, values, price) -> Product:
        name = (self.text(values, "description") or sku)[:200]
        product = Product(sku=sku, name=name, sale_price=money(price or ZERO), cost=ZERO)
        self.new_products[sku] = product
        return product

    def _groups(self) -> dict[tuple, list[HistoryRow]]:
        """One sale per invoice, location and direction (a row without an invoice is its own sale)."""
        groups: dict[tuple, list[HistoryRow]] = defaultdict(list)
        for row in self.rows:
            key = (row.invoice or f"#{row.line}", row.location.pk, row.is_return)
            groups[key].append(row)
        return groups

    def _sales_limit(self) -> None:
        """Sales dated this month count against the plan's sales a month, as on screen."""
        start = month_start(workspace_timezone())
        this_month = sum(1 for rows in self.groups.values() if rows[0].when >= start)
        if not this_month:
            return
        try:
            workspace_limit_check(resource="sales_per_month", current=sales_this_month(), adding=this_month)
        except PlanLimitReached as error:
            self.errors.append(_error(0, "", error.message))

    def planned(self):
        returns = sum(1 for key in self.groups if key[2])
        return {
            "sales": len(self.groups) - returns,
            "returns": returns,
            "products": len(self.new_products),
        }

    def write(self, progress):
        new_products = list(self.new_products.values())
        for _start, batch in _chunks(new_products):
            Product.objects.bulk_create(batch)  # sets the pks the lines below refer to
        groups = sorted(self.groups.items(), key=lambda item: (item[1][0].when, item[1][0].line))
        returns = [item for item in groups if item[0][2]]
        tz = workspace_timezone()
        per_month: dict[date, int] = defaultdict(int)  # the plan's month counters, in month order
        for _key, rows in groups:
            per_month[local_date(rows[0].when, tz).replace(day=1)] += 1
        for month in sorted(per_month):
            sales_month_count_add(at=day_start(month, tz), adding=per_month[month], check=False)
        sale_number = _numbers_reserve("sale", len(groups))
        return_number = _numbers_reserve("sale_return", len(returns))
        note = _("Imported (import %(number)s)") % {"number": self.job.pk}
        void_reason = _("Imported return: its original sale is not in the file.")
        now = timezone.now()
        user_id = self.user.pk if getattr(self.user, "is_authenticated", False) else None
        sale_ids = ids_reserve(Sale._meta.db_table, len(groups))
        line_ids = iter(ids_reserve(SaleLine._meta.db_table, len(self.rows)))
        return_ids = iter(ids_reserve(SaleReturn._meta.db_table, len(returns)))
        sales, lines, sale_returns, return_lines = [], [], [], []
        for ((invoice, _location, is_return), rows), sale_id in zip(groups, sale_ids, strict=True):
            first = rows[0]
            priced = [_priced(row) for row in rows]
            total = sum((line_total for line_total, _tax in priced), ZERO)
            sales.append(
                (
                    sale_id,
                    now,
                    sale_number,
                    first.when,
                    first.customer,
                    PaymentMethod.OTHER,
                    None,
                    ZERO,
                    total,
                    ZERO,
                    sum((tax for _total, tax in priced), ZERO),
                    total,
                    Sale.Status.VOIDED if is_return else Sale.Status.COMPLETED,
                    f"{note} {invoice}"[:255] if not invoice.startswith("#") else note,
                    first.when if is_return else None,
                    void_reason if is_return else "",
                    first.location.pk,
                )
            )
            sale_number += 1
            return_id = next(return_ids) if is_return else None
            if is_return:
                reason = _("Imported return %(invoice)s") % {"invoice": invoice.lstrip("#")}
                sale_returns.append(
                    (return_id, first.when, now, return_number, reason, total, sale_id, user_id)
                )
                return_number += 1
            for row, (line_total, tax) in zip(rows, priced, strict=True):
                line_id = next(line_ids)
                product = row.product
                lines.append(
                    (
                        line_id,
                        product.name,
                        row.quantity,
                        row.unit_price,
                        ZERO,
                        product.tax_rate,
                        tax,
                        line_total,
                        product.cost,
                        row.quantity if is_return else ZERO,
                        product.pk,
                        sale_id,
                    )
                )
                if is_return:
                    return_lines.append((row.quantity, line_total, product.pk, line_id, return_id))
        rows_copy(Sale._meta.db_table, SALE_COLUMNS, sales)
        progress.at(len(self.rows) // 4)
        rows_copy(SaleLine._meta.db_table, SALE_LINE_COLUMNS, lines)
        rows_copy(SaleReturn._meta.db_table, SALE_RETURN_COLUMNS, sale_returns)
        rows_copy(SaleReturnLine._meta.db_table, SALE_RETURN_LINE_COLUMNS, return_lines)
        progress.at(len(self.rows))
        return {
            "sales_created": len(sales) - len(sale_returns),
            "returns_created": len(sale_returns),
            "products_created": len(new_products),
        }


# The columns of the tuples SalesHistoryImporter.write sends with COPY (ids reserved beforehand).
SALE_COLUMNS = (
    "id",
    "updated_at",
    "number",
    "created_at",
    "customer_name",
    "payment_method",
    "amount_tendered",
    "change_due",
    "subtotal",
    "discount_total",
    "tax_total",
    "total",
    "status",
    "note",
    "voided_at",
    "void_reason",
    "location_id",
)
SALE_LINE_COLUMNS = (
    "id",
    "description",
    "quantity",
    "unit_price",
    "discount",
    "tax_rate",
    "tax_amount",
    "total",
    "unit_cost",
    "returned_quantity",
    "product_id",
    "sale_id",
)
SALE_RETURN_COLUMNS = (
    "id",
    "created_at",
    "updated_at",
    "number",
    "reason",
    "refund_total",
    "sale_id",
    "user_id",
)
SALE_RETURN_LINE_COLUMNS = ("quantity", "amount", "product_id", "sale_line_id", "sale_return_id")


def _priced(row: HistoryRow) -> tuple[Decimal, Decimal]:
    """(line total, tax included in it) as the point of sale prices a line."""
    total = money(row.quantity * row.unit_price)
    rate = row.product.tax_rate or ZERO
    return total, money(total - total / (1 + rate / HUNDRED))


def _customer(text: str) -> str:
    # Spreadsheets turn customer numbers into floats ("13607.0").
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    return text[:160]


def _numbers_reserve(kind: str, count: int) -> int:
    """Reserve ``count`` consecutive document numbers; returns the first. Like
    document_number_next, the counter row stays locked until the import's transaction ends."""
    if not count:
        return 0
    DocumentCounter.objects.bulk_create([DocumentCounter(kind=kind)], ignore_conflicts=True)
    DocumentCounter.objects.filter(kind=kind).update(last_number=F("last_number") + count)
    last = DocumentCounter.objects.values_list("last_number", flat=True).get(kind=kind)
    return last - count + 1


IMPORTERS: dict[str, type[Importer]] = {
    Kind.PRODUCTS: ProductsImporter,
    Kind.OPENING_STOCK: OpeningStockImporter,
    Kind.SALES_HISTORY: SalesHistoryImporter,
}
