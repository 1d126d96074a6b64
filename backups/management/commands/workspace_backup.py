"""`manage.py workspace_backup <slug>`: back up one workspace now (as the nightly job does)."""

from django.core.management.base import BaseCommand, CommandError

from backups.services import backup_create, backups_prune
from tenants.models import Tenant


class Command(BaseCommand):
    help = "Back up one workspace (schema, public rows, media files) to the backup store."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--no-prune", action="store_true", help="keep every older backup")

    def handle(self, *args, slug, no_prune, **options):
        tenant = Tenant.objects.filter(slug=slug).first()
        if tenant is None:
            raise CommandError(f"no workspace {slug!r}")
        backup = backup_create(tenant=tenant)
        pruned = 0 if no_prune else backups_prune(tenant_slug=slug)
        self.stdout.write(
            f"backup {backup.pk}: {backup.path} ({backup.size_bytes} bytes, {backup.tables} tables, "
            f"{backup.rows} rows, {backup.media_files} media files); {pruned} old backups pruned"
        )
