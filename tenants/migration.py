"""The migrate command django-tenants runs in each workspace schema (TENANT_BASE_MIGRATE_COMMAND).

Apps that live only in the public schema (dj-stripe, billing, tenants) have no tables in a
workspace schema, yet a plain `migrate` there still replays their migrations to build the model
state: dj-stripe's alone cost ~40 s per schema. Before migrating a workspace schema this command
records those migrations as applied, in dependency order, whenever everything they depend on is
applied already; the end state is exactly what the full run leaves (the same rows in
django_migrations, no tables), in a fraction of a second.
"""

from django.apps import apps
from django.conf import settings
from django.core.management.commands.migrate import Command as MigrateCommand
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django_tenants.utils import get_public_schema_name


def _tenant_app_labels() -> set[str]:
    return {config.label for config in apps.get_app_configs() if config.name in settings.TENANT_APPS}


def record_public_only_migrations(connection) -> int:
    """Record as applied the public-only apps' migrations whose dependencies are applied."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    recorder = MigrationRecorder(connection)
    done = set(loader.applied_migrations)
    tenant_apps = _tenant_app_labels()
    plan = []
    for leaf in loader.graph.leaf_nodes():
        for key in loader.graph.forwards_plan(leaf):
            if key not in plan:
                plan.append(key)
    recorded = 0
    for key in plan:
        if key in done or key[0] in tenant_apps:
            continue
        parents = {parent.key for parent in loader.graph.node_map[key].parents}
        if parents <= done:
            recorder.record_applied(*key)
            done.add(key)
            recorded += 1
    return recorded


class TenantSchemaMigrateCommand(MigrateCommand):
    def handle(self, *args, **options):
        connection = connections[options["database"]]
        if connection.schema_name != get_public_schema_name():
            record_public_only_migrations(connection)
        return super().handle(*args, **options)
