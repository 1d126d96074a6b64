"""Back up one workspace into the store, restore one archive into a new schema, apply retention.

An archive (``<slug>/<slug>-<UTC time>.tar`` in the store) holds:
- ``schema.sql.gz``: ``pg_dump --schema=<schema>`` (plain SQL);
- ``manifest.json``: the schema's name, per table its row count and checksum (taken in the
  dump's snapshot), the workspace's rows in the public schema (tenant, domains, legal
  acceptances, billing account and subscriptions...: every public row that points at the
  workspace) serialised by Django, and the list of media files with their SHA-256;
- ``media/<source>/<path>``: the workspace's files (branding, product images).
"""

import hashlib
import io
import json
import logging
import re
import tarfile
import tempfile
from datetime import datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_exists

from backups.database import (
    RestoreFailed,
    schema_dump,
    schema_load,
    snapshot_export,
    table_fingerprints,
)
from backups.media import media_sources, storage_walk
from backups.models import WorkspaceBackup
from backups.selectors import backups_to_keep
from backups.store import backup_storage
from tenants.models import Domain, Tenant

logger = logging.getLogger(__name__)

FORMAT_VERSION = 1
_CHUNK = 1 << 20


def _sha256_of(fileobj) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: fileobj.read(_CHUNK), b""):
        digest.update(chunk)
    return digest.hexdigest()


def _public_only_models() -> list:
    tenant_apps = set(settings.TENANT_APPS)
    return [
        model
        for model in apps.get_models()
        if model._meta.app_config.name in settings.SHARED_APPS
        and model._meta.app_config.name not in tenant_apps
        and model is not WorkspaceBackup
    ]


def _public_rows(tenant: Tenant) -> list:
    """The workspace's row and every public row that points at it, or at one of those."""
    models = _public_only_models()
    found: dict[tuple, object] = {(Tenant, tenant.pk): tenant}
    frontier = {Tenant: [tenant.pk]}
    for _depth in range(2):
        next_frontier: dict = {}
        for model in models:
            for field in model._meta.concrete_fields:
                target = field.related_model if field.is_relation else None
                if target not in frontier or model is Tenant:
                    continue
                for row in model._default_manager.filter(**{f"{field.name}__in": frontier[target]}):
                    if (model, row.pk) not in found:
                        found[(model, row.pk)] = row
                        next_frontier.setdefault(model, []).append(row.pk)
        frontier = next_frontier
    # Tenant first, so that a restore of a purged workspace can load them in this order.
    return sorted(found.values(), key=lambda row: (not isinstance(row, Tenant), type(row).__name__, row.pk))


def _archive_name(tenant: Tenant, taken_at: datetime) -> str:
    return f"{tenant.slug}/{tenant.slug}-{taken_at:%Y%m%dT%H%M%S%fZ}.tar"


def backup_create(*, tenant: Tenant, now: datetime | None = None) -> WorkspaceBackup:
    """Write one archive of ``tenant`` to the store and record it (a failure is recorded too and
    raised). Needs its own transaction: the schema is read in one REPEATABLE READ snapshot."""
    taken_at = now or timezone.now()
    record = WorkspaceBackup(
        tenant=tenant, tenant_slug=tenant.slug, schema_name=tenant.schema_name, created_at=taken_at
    )
    try:
        with tempfile.TemporaryDirectory(prefix="backup-") as folder:
            archive = Path(folder) / "archive.tar"
            manifest = _write_archive(tenant=tenant, taken_at=taken_at, folder=Path(folder), archive=archive)
            with archive.open("rb") as source:
                record.sha256 = _sha256_of(source)
                source.seek(0)
                record.path = backup_storage().save(_archive_name(tenant, taken_at), File(source))
            record.size_bytes = archive.stat().st_size
        record.tables = len(manifest["tables"])
        record.rows = sum(table["rows"] for table in manifest["tables"].values())
        record.media_files = len(manifest["media"])
        record.status = WorkspaceBackup.Status.OK
    except Exception as error:
        record.status = WorkspaceBackup.Status.FAILED
        record.error = f"{type(error).__name__}: {error}"[:4000]
        record.save()
        raise
    record.save()
    return record


def _write_archive(*, tenant: Tenant, taken_at: datetime, folder: Path, archive: Path) -> dict:
    dump = folder / "schema.sql.gz"
    connection.set_schema_to_public()
    with transaction.atomic(durable=True):
        snapshot = snapshot_export()
        tables = table_fingerprints(tenant.schema_name)
        public_rows = serializers.serialize("json", _public_rows(tenant))
        schema_dump(schema_name=tenant.schema_name, snapshot=snapshot, destination=dump)
    with dump.open("rb") as source:
        dump_sha256 = _sha256_of(source)
    media = []
    with tarfile.open(archive, "w") as tar:
        tar.add(dump, arcname="schema.sql.gz")
        for source in media_sources():
            storage = source.storage()
            prefix = source.prefix(tenant.schema_name)
            for key in storage_walk(storage, prefix):
                with storage.open(key, "rb") as stored:
                    content = stored.read()
                relative = key[len(prefix) :]
                info = tarfile.TarInfo(f"media/{source.name}/{relative}")
                info.size = len(content)
                tar.addfile(info, io.BytesIO(content))
                media.append(
                    {"source": source.name, "path": relative, "sha256": hashlib.sha256(content).hexdigest()}
                )
        manifest = {
            "format": FORMAT_VERSION,
            "tenant_slug": tenant.slug,
            "schema_name": tenant.schema_name,
            "taken_at": taken_at.isoformat(),
            "dump_sha256": dump_sha256,
            "tables": tables,
            "public_rows": json.loads(public_rows),
            "media": media,
        }
        content = json.dumps(manifest, indent=1, sort_keys=True).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(content)
        tar.addfile(info, io.BytesIO(content))
    return manifest


def backups_prune(*, tenant_slug: str) -> int:
    """Delete the workspace's archives that retention no longer keeps (7 daily, 4 weekly by
    default; failed attempts older than the oldest kept backup go too). Safe to run twice."""
    complete = WorkspaceBackup.objects.filter(tenant_slug=tenant_slug, status=WorkspaceBackup.Status.OK)
    keep = backups_to_keep(complete.values_list("id", "created_at"))
    storage = backup_storage()
    deleted = 0
    for backup in complete.exclude(id__in=keep):
        if backup.path:
            storage.delete(backup.path)
        backup.delete()
        deleted += 1
    oldest_kept = complete.order_by("created_at").values_list("created_at", flat=True).first()
    if oldest_kept is not None:
        deleted += WorkspaceBackup.objects.filter(
            tenant_slug=tenant_slug, status=WorkspaceBackup.Status.FAILED, created_at__lt=oldest_kept
        ).delete()[0]
    return deleted


# --- Restore ------------------------------------------------------------------------------------

_SCHEMA_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def restored_schema_name(backup: WorkspaceBackup, now: datetime | None = None) -> str:
    moment = now or timezone.now()
    return f"{backup.schema_name[:40]}_r{moment:%Y%m%d%H%M%S}"


def backup_restore(
    *,
    backup: WorkspaceBackup,
    schema_name: str | None = None,
    switch: bool = False,
    actor_email: str = "",
) -> dict:
    """Restore ``backup`` into a NEW schema and check it: every table's row count and checksum
    must equal the archive's, every media file its SHA-256. Anything else drops what was made and
    raises ``RestoreFailed``. With ``switch`` the workspace is then served from the new schema
    (its old schema is left as it was, for inspection); a purged workspace gets its public rows
    back from the archive. Returns a report: schema, tables, rows, media files."""
    if backup.status != WorkspaceBackup.Status.OK:
        raise RestoreFailed("this backup did not complete; nothing to restore")
    new_schema = schema_name or restored_schema_name(backup)
    if not _SCHEMA_NAME.match(new_schema) or new_schema == get_public_schema_name():
        raise RestoreFailed(f"not a usable schema name: {new_schema!r}")
    connection.set_schema_to_public()
    if schema_exists(new_schema):
        raise RestoreFailed(f"schema {new_schema} already exists; a restore always makes a new one")
    with tempfile.TemporaryDirectory(prefix="restore-") as folder:
        archive = Path(folder) / "archive.tar"
        with backup_storage().open(backup.path, "rb") as stored, archive.open("wb") as local:
            for chunk in iter(lambda: stored.read(_CHUNK), b""):
                local.write(chunk)
        with archive.open("rb") as local:
            if _sha256_of(local) != backup.sha256:
                raise RestoreFailed(
                    "the archive in the store is not the one that was written (SHA-256 differs)"
                )
        with tarfile.open(archive) as tar:
            manifest = json.load(tar.extractfile("manifest.json"))
            dump = Path(folder) / "schema.sql.gz"
            dump.write_bytes(tar.extractfile("schema.sql.gz").read())
            media = [
                (entry, tar.extractfile(f"media/{entry['source']}/{entry['path']}").read())
                for entry in manifest["media"]
            ]
        with dump.open("rb") as source:
            if _sha256_of(source) != manifest["dump_sha256"]:
                raise RestoreFailed("the dump inside the archive is damaged (SHA-256 differs)")
        media_plan = _media_plan(media, old_schema=manifest["schema_name"], new_schema=new_schema)
        schema_load(dump=dump, old_schema=manifest["schema_name"], new_schema=new_schema)
    try:
        _check_tables(expected=manifest["tables"], schema_name=new_schema)
        written = _media_write(media_plan)
        if switch:
            _switch(manifest, new_schema)
    except Exception:
        _schema_drop(new_schema)
        raise
    backup.restored_schema = new_schema
    backup.restored_at = timezone.now()
    backup.restored_by = actor_email
    backup.restored_switched = switch
    backup.save(update_fields=["restored_schema", "restored_at", "restored_by", "restored_switched"])
    logger.info(
        "backup %s of %s restored into %s (switched: %s)", backup.pk, backup.tenant_slug, new_schema, switch
    )
    return {
        "schema": new_schema,
        "tables": len(manifest["tables"]),
        "rows": sum(table["rows"] for table in manifest["tables"].values()),
        "media_files": len(media_plan),
        "media_written": written,
        "switched": switch,
    }


def _schema_drop(schema_name: str) -> None:
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA IF EXISTS "{schema_name}" CASCADE')


def _check_tables(*, expected: dict, schema_name: str) -> None:
    found = table_fingerprints(schema_name)
    differences = [
        f"{table}: expected {expected.get(table)}, found {found.get(table)}"
        for table in sorted(set(expected) | set(found))
        if expected.get(table) != found.get(table)
    ]
    if differences:
        raise RestoreFailed("the restored schema differs from the backup: " + "; ".join(differences[:20]))


def _media_plan(media: list, *, old_schema: str, new_schema: str) -> list:
    """(storage, key, content) for each file; refuses when a different file already has a key."""
    sources = {source.name: source for source in media_sources()}
    plan = []
    for entry, content in media:
        if hashlib.sha256(content).hexdigest() != entry["sha256"]:
            raise RestoreFailed(f"media file {entry['path']} is damaged in the archive")
        source = sources.get(entry["source"])
        if source is None:
            raise RestoreFailed(f"no media source {entry['source']!r} on this installation")
        storage = source.storage()
        key = source.prefix(new_schema if source.follows_schema else old_schema) + entry["path"]
        if storage.exists(key):
            with storage.open(key, "rb") as stored:
                if hashlib.sha256(stored.read()).hexdigest() != entry["sha256"]:
                    raise RestoreFailed(f"{key} exists with other content; nothing was overwritten")
            continue
        plan.append((storage, key, content))
    return plan


def _media_write(plan: list) -> int:
    for storage, key, content in plan:
        saved = storage.save(key, ContentFile(content))
        if saved != key:
            storage.delete(saved)
            raise RestoreFailed(f"{key} could not be written under its own name")
    return len(plan)


def _switch(manifest: dict, new_schema: str) -> Tenant:
    """Serve the workspace from ``new_schema``: repoint its row, or bring its public rows back."""
    with transaction.atomic():
        tenant = Tenant.objects.select_for_update().filter(slug=manifest["tenant_slug"]).first()
        if tenant is not None:
            Tenant.objects.filter(pk=tenant.pk).update(schema_name=new_schema)
            tenant.refresh_from_db()
            return tenant
        for row in serializers.deserialize("json", json.dumps(manifest["public_rows"])):
            if isinstance(row.object, Tenant):
                row.object.schema_name = new_schema
            row.save()  # raw save: the schema exists already, nothing is created
        tenant = Tenant.objects.get(slug=manifest["tenant_slug"])
        WorkspaceBackup.objects.filter(tenant_slug=tenant.slug, tenant__isnull=True).update(tenant=tenant)
        if not Domain.objects.filter(tenant=tenant).exists():
            raise RestoreFailed("the archive has no domain for this workspace")
        return tenant
