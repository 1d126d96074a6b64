"""Super-admin: each workspace's backups (filter or search by subdomain), and a restore into a
new, checked schema from there. Backups are written by the nightly job, never edited here."""

from django.contrib import admin, messages
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from backups.database import RestoreFailed
from backups.models import WorkspaceBackup
from backups.services import backup_restore


@admin.register(WorkspaceBackup)
class WorkspaceBackupAdmin(admin.ModelAdmin):
    list_display = [
        "tenant_slug",
        "created_at",
        "status",
        "size",
        "tables",
        "rows",
        "media_files",
        "restored_schema",
        "restored_at",
        "restored_by",
    ]
    list_filter = ["status", "created_at"]
    search_fields = ["tenant_slug", "schema_name"]
    date_hierarchy = "created_at"
    actions = ["restore_into_new_schema"]

    @admin.display(description=_("size"), ordering="size_bytes")
    def size(self, backup):
        return filesizeformat(backup.size_bytes)

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Restore into a new schema and check it"))
    def restore_into_new_schema(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Choose exactly one backup to restore."), messages.ERROR)
            return
        backup = queryset.get()
        try:
            report = backup_restore(backup=backup, actor_email=request.user.email)
        except RestoreFailed as error:
            self.message_user(request, _("Restore failed: %(error)s") % {"error": error}, messages.ERROR)
            return
        self.message_user(
            request,
            _(
                "Backup of %(slug)s restored into schema %(schema)s: %(tables)s tables, %(rows)s rows and "
                "%(media)s files equal to the backup."
            )
            % {
                "slug": backup.tenant_slug,
                "schema": report["schema"],
                "tables": report["tables"],
                "rows": report["rows"],
                "media": report["media_files"],
            },
            messages.SUCCESS,
        )
