"""Data rights: the owner exports all of the workspace's data, or asks to delete the workspace.

Export: a zip with one CSV and one JSON file per kind of record, found generically from the
models of the tenant apps (``settings.TENANT_APPS``), built by a Celery task in the workspace's
schema. Secrets (password hashes, tokens, keys, sessions) are left out.

Deletion: the workspace is closed at once (its sessions are deleted and every page says it is
closed); its schema is dropped by ``workspace_purge_closed`` once the grace period has passed,
until then the super-admin can undo it. The ``WorkspaceDeletion`` row stays as the record.
"""

import csv
import io
import json
import logging
import re
import secrets
import tempfile
import zipfile
from datetime import date, datetime, time, timedelta

from celery import current_app
from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name, schema_context

from accounts.models import User
from audit.models import AuditEvent
from audit.services import audit_record
from core import metrics
from tenants.exceptions import TenantError
from tenants.lifecycle import tenant_event_record, tenant_status_set
from tenants.models import DataExport, Tenant, TenantEvent, WorkspaceDeletion
from tenants.signals import workspace_closed

logger = logging.getLogger(__name__)

DELETION_GRACE = timedelta(days=7)
EXPORT_RETENTION = timedelta(days=7)
# An export still waiting after this long is considered lost (worker down): a new one may start.
EXPORT_STALE_AFTER = timedelta(hours=1)
# An export waiting this long was probably never handed to a worker: asking again re-queues it.
EXPORT_REQUEUE_AFTER = timedelta(minutes=2)

# Audit actions recorded in the workspace's own log (strings: audit.models lists its choices).
AUDIT_WORKSPACE_CLOSED = "workspace_closed"
AUDIT_WORKSPACE_RESTORED = "workspace_restored"

Status = Tenant.Status
# Statuses from which the owner may close the workspace.
CLOSABLE_STATUSES = (Status.TRIAL, Status.ACTIVE, Status.TRIAL_EXPIRED, Status.SUSPENDED)


class DeletionConfirmationMismatch(TenantError):
    code = "deletion_confirmation_mismatch"


class NoPendingDeletion(TenantError):
    code = "no_pending_deletion"


# --- Export ------------------------------------------------------------------------------------

# Framework bookkeeping, and sessions (live credentials): not the business's data.
EXCLUDED_MODELS = frozenset({"sessions.session", "contenttypes.contenttype", "auth.permission"})
# Field names that hold secrets, whatever the model: password, *_hash, token, key, secret.
_SECRET_FIELD = re.compile(r"(^|_)(password|secret|token|key)(_|$)|_hash$")
# A cell starting with one of these is a formula to a spreadsheet (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _is_secret(field_name: str) -> bool:
    return bool(_SECRET_FIELD.search(field_name))


def export_models() -> list[type[models.Model]]:
    """Every concrete model of the tenant apps, in a stable order (app label, model name)."""
    tenant_apps = set(settings.TENANT_APPS)
    found = []
    for app_config in apps.get_app_configs():
        if app_config.name not in tenant_apps:
            continue
        for model in app_config.get_models():
            meta = model._meta
            if meta.proxy or not meta.managed or meta.label_lower in EXCLUDED_MODELS:
                continue
            found.append(model)
    return sorted(found, key=lambda model: model._meta.label_lower)


def _columns(model: type[models.Model]) -> list[str]:
    """The model's columns (``attname``: ``actor_id`` for a foreign key), secrets left out."""
    return [
        field.attname
        for field in model._meta.concrete_fields
        if not (_is_secret(field.name) or _is_secret(field.attname))
    ]


def _many_to_many(model: type[models.Model]) -> dict[str, dict[object, list[str]]]:
    """For each many-to-many field: {row pk: [str(related), ...]}, one query per field."""
    values = {}
    for field in model._meta.many_to_many:
        if _is_secret(field.name):
            continue
        through = field.remote_field.through
        source = field.m2m_field_name()
        target = field.m2m_reverse_field_name()
        pairs = list(through.objects.values_list(f"{source}_id", f"{target}_id"))
        related = field.related_model._base_manager.in_bulk({pk for _, pk in pairs})
        per_row: dict[object, list[str]] = {}
        for row_pk, related_pk in pairs:
            per_row.setdefault(row_pk, []).append(str(related.get(related_pk, related_pk)))
        values[field.name] = per_row
    return values


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    if isinstance(value, str):
        return "'" + value if value.startswith(_FORMULA_START) else value
    return str(value)


def _write_model(archive: zipfile.ZipFile, model: type[models.Model]) -> int:
    """Write ``csv/<label>.csv`` and ``json/<label>.json`` for one model, in one pass over its rows."""
    label = model._meta.label_lower
    columns = _columns(model)
    m2m = _many_to_many(model)
    header = columns + list(m2m)
    pk_index = columns.index(model._meta.pk.attname)
    rows = model._base_manager.order_by("pk").values_list(*columns)
    count = 0
    # JSON goes straight into the zip; CSV waits in a spooled file (the zip writes one entry at a time).
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024, mode="w+", newline="") as csv_file:
        writer = csv.writer(csv_file)
        writer.writerow(header)
        with archive.open(f"json/{label}.json", "w") as raw:
            json_file = io.TextIOWrapper(raw, encoding="utf-8")
            json_file.write("[")
            for values in rows.iterator(chunk_size=2000):
                record = dict(zip(header, values, strict=False))
                for name, per_row in m2m.items():
                    record[name] = per_row.get(values[pk_index], [])
                writer.writerow([_csv_cell(record[name]) for name in header])
                json_file.write(",\n" if count else "\n")
                json_file.write(json.dumps(record, cls=DjangoJSONEncoder, ensure_ascii=False))
                count += 1
            json_file.write("\n]\n")
            json_file.flush()
            json_file.detach()
        csv_file.seek(0)
        with archive.open(f"csv/{label}.csv", "w") as raw:
            raw.write(csv_file.read().encode("utf-8-sig"))  # the BOM: Excel then reads UTF-8
    return count


def data_export_request(*, tenant: Tenant, user: User) -> DataExport:
    """Start an export of ``tenant``'s data for ``user`` (or return the one already under way)."""
    with transaction.atomic():
        running = (
            DataExport.objects.select_for_update()
            .filter(
                tenant=tenant,
                status__in=(DataExport.Status.PENDING, DataExport.Status.RUNNING),
                created_at__gte=timezone.now() - EXPORT_STALE_AFTER,
            )
            .first()
        )
        if running is not None and running.status == DataExport.Status.RUNNING and _stalled(running):
            _export_fail_stalled(running)
            running = None
        if running is not None:
            if running.status == DataExport.Status.PENDING and running.created_at < timezone.now() - (
                EXPORT_REQUEUE_AFTER
            ):
                # Asked for again and still waiting: send it again (the build is safe to run twice).
                schema_name = tenant.schema_name
                transaction.on_commit(lambda: _send_build(schema_name, running.pk))
            return running
        export = DataExport.objects.create(
            tenant=tenant, requested_by_id=user.pk, requested_by_email=user.email
        )
        # Sent from the workspace's schema, so the task runs there (tenant-schemas-celery).
        schema_name = tenant.schema_name
        transaction.on_commit(lambda: _send_build(schema_name, export.pk))
    return export


def _send_build(schema_name: str, export_id: int) -> None:
    try:
        with schema_context(schema_name):
            current_app.send_task("tenants.tasks.build_data_export", args=(export_id,))
    except Exception:  # noqa: BLE001 - the broker (Redis) is down or refused the message
        # Never left "waiting" for a job nobody will run: failed, with the reason, so the owner
        # reads it and the next request starts afresh.
        logger.exception("export %s could not be queued", export_id)
        DataExport.objects.filter(pk=export_id, status=DataExport.Status.PENDING).update(
            status=DataExport.Status.FAILED,
            finished_at=timezone.now(),
            error=_("The background worker could not be reached. Try again in a few minutes."),
        )


def job_heartbeat_seconds() -> int:
    return settings.JOB_HEARTBEAT_SECONDS


def _stalled(export: DataExport, now: datetime | None = None) -> bool:
    """A running export whose worker stopped: no sign of life for JOB_HEARTBEAT_SECONDS."""
    now = now or timezone.now()
    last = export.heartbeat_at or export.created_at
    return export.status == DataExport.Status.RUNNING and last < now - timedelta(
        seconds=job_heartbeat_seconds()
    )


def _export_fail_stalled(export: DataExport) -> bool:
    with translation.override(export.tenant.language if export.tenant_id else None):
        message = _("The export stopped: the background worker was interrupted. Ask for it again.")
    done = DataExport.objects.filter(
        pk=export.pk, status=DataExport.Status.RUNNING, heartbeat_at=export.heartbeat_at
    ).update(status=DataExport.Status.FAILED, finished_at=timezone.now(), error=message)
    if done:
        metrics.EXPORTS.labels(outcome="stalled").inc()
        metrics.JOBS_REAPED.labels(kind="export").inc()
        logger.warning("export %s stalled (no heartbeat): marked failed", export.pk)
    return bool(done)


def data_exports_reap_stalled(*, now: datetime | None = None) -> list[int]:
    """Mark failed every running export (any workspace) whose heartbeat stopped, with the reason
    the owner reads next to it; the page offers to start another. Returns their ids."""
    now = now or timezone.now()
    running = DataExport.objects.select_related("tenant").filter(status=DataExport.Status.RUNNING)
    return [export.pk for export in running if _stalled(export, now) and _export_fail_stalled(export)]


def _export_progress_set(export: DataExport, **changes) -> None:
    changes.setdefault("heartbeat_at", timezone.now())
    DataExport.objects.filter(pk=export.pk).update(**changes)
    for field, value in changes.items():
        setattr(export, field, value)


def data_export_build(*, export_id: int) -> DataExport | None:
    """Build the zip of an export, in the workspace's schema (the Celery task calls this).

    Safe to run twice: a finished export is left as it is. Returns None for an unknown export.
    """
    export = DataExport.objects.select_related("tenant").filter(pk=export_id).first()
    if export is None or export.status in (DataExport.Status.DONE, DataExport.Status.FAILED):
        return export
    if export.status == DataExport.Status.RUNNING and not _stalled(export):
        return export  # another worker is building it (a duplicate delivery)
    # Pending, or running without a heartbeat: a task redelivered after its worker died picks
    # the export up again and builds it from the start.
    tenant = export.tenant
    if connection.schema_name != tenant.schema_name:
        # Never write one workspace's data into another's export.
        raise RuntimeError(f"export {export_id} of {tenant.schema_name} built in {connection.schema_name}")
    _export_progress_set(export, status=DataExport.Status.RUNNING, progress=0, error="")
    try:
        counts = {}
        kinds = export_models()
        with tempfile.TemporaryFile() as buffer:
            with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                for done, model in enumerate(kinds, start=1):
                    counts[model._meta.label_lower] = _write_model(archive, model)
                    _export_progress_set(export, progress=min(99, done * 100 // len(kinds)))
                manifest = {
                    "workspace": tenant.slug,
                    "name": tenant.name,
                    "generated_at": timezone.now().isoformat(),
                    "records": counts,
                    "formats": ["csv/<app>.<model>.csv", "json/<app>.<model>.json"],
                    "left_out": sorted(EXCLUDED_MODELS)
                    + ["fields named password, *_hash, token, key, secret"],
                }
                archive.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
            buffer.seek(0)
            name = default_storage.save(
                f"exports/{tenant.schema_name}/{secrets.token_urlsafe(32)}.zip", File(buffer)
            )
    except Exception as error:
        _export_progress_set(
            export, status=DataExport.Status.FAILED, error=str(error)[:500], finished_at=timezone.now()
        )
        metrics.EXPORTS.labels(outcome="failed").inc()
        raise
    with transaction.atomic():
        _export_progress_set(
            export, status=DataExport.Status.DONE, progress=100, file=name, finished_at=timezone.now()
        )
        audit_record(
            action=AuditEvent.Action.DATA_EXPORTED,
            actor=User.objects.filter(pk=export.requested_by_id).first(),
            actor_email=export.requested_by_email,
            target=_("Data export %(id)s") % {"id": export.pk},
            data={"export_id": export.pk, "records": sum(counts.values()), "kinds": len(counts)},
        )
    metrics.EXPORTS.labels(outcome="done").inc()
    return export


def data_export_for(*, tenant: Tenant, export_id: int) -> DataExport | None:
    """One of ``tenant``'s exports; None when it does not exist or belongs to another workspace."""
    return DataExport.objects.filter(tenant=tenant, pk=export_id).first()


def data_export_list(*, tenant: Tenant, limit: int = 5) -> list[DataExport]:
    """``tenant``'s latest exports, newest first."""
    return list(DataExport.objects.filter(tenant=tenant).order_by("-created_at", "-id")[:limit])


def _delete_file(name: str) -> None:
    if name:
        try:
            default_storage.delete(name)
        except OSError:
            logger.warning("could not delete export file %s", name)


def _delete_files(names: list[str]) -> None:
    for name in names:
        _delete_file(name)


def data_export_purge_expired(*, now: datetime | None = None) -> int:
    """Delete exports (rows and files) older than the retention period. Returns how many."""
    now = now or timezone.now()
    expired = list(DataExport.objects.filter(created_at__lt=now - EXPORT_RETENTION))
    DataExport.objects.filter(pk__in=[export.pk for export in expired]).delete()
    _delete_files([export.file.name for export in expired])
    return len(expired)


# --- Deletion ----------------------------------------------------------------------------------


def workspace_close(
    *, tenant: Tenant, user: User, confirmation: str, request=None, now: datetime | None = None
) -> WorkspaceDeletion:
    """Close ``tenant`` at once at its owner's request (``confirmation`` must be its subdomain).

    Its sessions are deleted, so nobody stays signed in; the schema is dropped after the grace
    period by ``workspace_purge_closed``.
    """
    if confirmation.strip().lower() != tenant.slug:
        raise DeletionConfirmationMismatch(_("Type the subdomain exactly as shown to confirm."))
    now = now or timezone.now()
    with transaction.atomic():
        previous_status = Tenant.objects.filter(pk=tenant.pk).values_list("status", flat=True).get()
        tenant_status_set(
            tenant=tenant,
            to=Status.CLOSED,
            allowed_from=CLOSABLE_STATUSES,
            action=TenantEvent.Action.CLOSED,
            actor_email=user.email,
            now=now,
        )
        deletion = WorkspaceDeletion.objects.create(
            tenant=tenant,
            tenant_slug=tenant.slug,
            schema_name=tenant.schema_name,
            previous_status=previous_status,
            requested_by_email=user.email,
            requested_at=now,
            purge_after=now + DELETION_GRACE,
        )
        # A closed workspace must not be charged again: billing cancels its subscription.
        transaction.on_commit(lambda: workspace_closed.send(sender=Tenant, tenant=tenant))
        with schema_context(tenant.schema_name):
            audit_record(
                action=AUDIT_WORKSPACE_CLOSED,
                actor=user,
                target=tenant.slug,
                request=request,
                data={"purge_after": deletion.purge_after.isoformat()},
            )
            Session.objects.all().delete()
    return deletion


def workspace_restore(
    *, tenant: Tenant, actor_email: str = "", now: datetime | None = None
) -> WorkspaceDeletion:
    """Undo a deletion during its grace period: the workspace gets back its status and data."""
    now = now or timezone.now()
    with transaction.atomic():
        deletion = (
            WorkspaceDeletion.objects.select_for_update()
            .filter(tenant=tenant, purged_at__isnull=True, restored_at__isnull=True)
            .first()
        )
        if deletion is None:
            raise NoPendingDeletion(_("%(workspace)s has no deletion to undo.") % {"workspace": tenant.name})
        tenant_status_set(
            tenant=tenant,
            to=deletion.previous_status,
            allowed_from=(Status.CLOSED,),
            action=TenantEvent.Action.RESTORED,
            actor_email=actor_email,
            data={"deletion_id": deletion.pk},
            now=now,
        )
        deletion.restored_at = now
        deletion.save(update_fields=["restored_at"])
        with schema_context(tenant.schema_name):
            audit_record(action=AUDIT_WORKSPACE_RESTORED, actor_email=actor_email, target=tenant.slug)
    return deletion


def workspace_purge_closed(*, now: datetime | None = None) -> list[WorkspaceDeletion]:
    """Drop the schema of every closed workspace whose grace period ended before ``now``.

    Idempotent; each workspace in its own transaction, so one failure does not stop the others.
    Returns the deletions it completed.
    """
    now = now or timezone.now()
    due = list(
        WorkspaceDeletion.objects.filter(
            purged_at__isnull=True, restored_at__isnull=True, purge_after__lte=now
        )
        .order_by("purge_after")
        .values_list("pk", flat=True)
    )
    purged = []
    for deletion_id in due:
        try:
            deletion = _purge_one(deletion_id=deletion_id, now=now)
        except Exception:
            logger.exception("purging deletion %s failed", deletion_id)
            continue
        if deletion is not None:
            purged.append(deletion)
    return purged


def _purge_one(*, deletion_id: int, now: datetime) -> WorkspaceDeletion | None:
    with schema_context(get_public_schema_name()), transaction.atomic():
        deletion = (
            WorkspaceDeletion.objects.select_for_update(skip_locked=True)
            .filter(pk=deletion_id, purged_at__isnull=True, restored_at__isnull=True, purge_after__lte=now)
            .first()
        )
        if deletion is None:
            return None
        tenant = Tenant.objects.select_for_update().filter(pk=deletion.tenant_id).first()
        if tenant is not None:
            if tenant.status != Status.CLOSED or tenant.schema_name in (get_public_schema_name(), ""):
                logger.error("deletion %s: %s is %s, not purged", deletion.pk, tenant.slug, tenant.status)
                return None
            files = list(DataExport.objects.filter(tenant=tenant).values_list("file", flat=True))
            tenant_event_record(
                tenant=tenant, action=TenantEvent.Action.PURGED, data={"deletion_id": deletion.pk}, now=now
            )
            tenant.delete(force_drop=True)  # DROP SCHEMA ... CASCADE, then the row and its domains
            transaction.on_commit(lambda: _delete_files(files))
        deletion.purged_at = now
        deletion.save(update_fields=["purged_at"])
    return deletion
