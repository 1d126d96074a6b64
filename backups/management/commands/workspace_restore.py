"""`manage.py workspace_restore <backup id | slug>`: restore one workspace's backup into a NEW
schema and check it (row counts and a checksum per table, SHA-256 per media file).

With a slug the workspace's newest complete backup is used. ``--switch`` then serves the
workspace from the restored schema (the old one is left untouched). Exits non-zero on any error.
"""

from django.core.management.base import BaseCommand, CommandError

from backups.database import RestoreFailed
from backups.models import WorkspaceBackup
from backups.services import backup_restore


class Command(BaseCommand):
    help = "Restore one workspace backup into a new schema and verify it."

    def add_arguments(self, parser):
        parser.add_argument("backup", help="a backup id, or a workspace slug (its newest backup)")
        parser.add_argument(
            "--schema", default=None, help="the new schema's name (default: <schema>_r<time>)"
        )
        parser.add_argument(
            "--switch", action="store_true", help="serve the workspace from the restored schema"
        )
        parser.add_argument("--list", action="store_true", help="list the backups and restore nothing")

    def handle(self, *args, backup, schema, switch, list, **options):
        found = WorkspaceBackup.objects.filter(status=WorkspaceBackup.Status.OK)
        if backup.isdigit():
            found = found.filter(pk=int(backup))
        else:
            found = found.filter(tenant_slug=backup)
        if list:
            for row in found:
                self.stdout.write(
                    f"{row.pk}\t{row.tenant_slug}\t{row.created_at:%Y-%m-%d %H:%M:%S}\t{row.path}"
                )
            return
        chosen = found.order_by("-created_at", "-id").first()
        if chosen is None:
            raise CommandError(f"no complete backup for {backup!r}")
        try:
            report = backup_restore(backup=chosen, schema_name=schema, switch=switch)
        except RestoreFailed as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"restored backup {chosen.pk} into schema {report['schema']}: {report['tables']} tables, "
            f"{report['rows']} rows and {report['media_files']} media files checked"
            + (" ; the workspace now uses it" if switch else "")
        )
