"""Migrate a thousand workspace schemas in one process: the migration graph and the model states
are built once, each schema only gets its own DDL.

django-tenants' standard executor runs a full `migrate` per schema: it rebuilds the migration
graph, renders the project state from every applied migration, emits post_migrate (content types
and permissions for every model) and reconnects, about a second a schema even when there is
nothing to do. Here (``InProcessExecutor``, codename ``inprocess``):

1. Each schema's applied migrations are read (one query a schema) and the schemas are grouped by
   that set: workspaces cloned from the template share it.
2. Per group, the plan is computed once. An empty plan costs nothing more. Otherwise the state
   before and after each operation is computed once, then for each schema, in one transaction,
   every operation's ``database_forwards`` runs against that schema and the migration is recorded
   (public-only apps' migrations are only recorded, as tenants.migration does).
3. post_migrate runs for a schema only when its plan creates or deletes a model (content types
   and permissions change only then).

A group whose plan holds a non-atomic migration or a backwards step, and any schema whose state
is odd, falls back to django-tenants' standard per-schema run. The public schema always does.
"""

import os
import sys
import time

from django.apps import apps
from django.conf import settings
from django.core.management.sql import emit_post_migrate_signal
from django.db import connections, migrations, transaction
from django.db.migrations.executor import MigrationExecutor as DjangoMigrationExecutor
from django_tenants.migration_executors import get_executor as django_tenants_get_executor
from django_tenants.migration_executors.base import MigrationExecutor, run_migrations
from django_tenants.utils import get_tenant_database_alias

MODEL_OPERATIONS = (migrations.CreateModel, migrations.DeleteModel)


def _public_only_labels() -> set[str]:
    tenant_apps = set(settings.TENANT_APPS)
    return {config.label for config in apps.get_app_configs() if config.name not in tenant_apps}


def _applied(connection, schema_name: str) -> frozenset | None:
    # Straight to the schema's table: MigrationRecorder.has_table() lists every table on the
    # search path through the catalogue, which costs more the more schemas there are.
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [f'"{schema_name}".django_migrations'])
        if cursor.fetchone()[0] is None:
            return None
        cursor.execute(f'SELECT app, name FROM "{schema_name}".django_migrations')
        return frozenset(cursor.fetchall())


class _GroupPlan:
    """One plan shared by schemas at the same migration state: states computed once."""

    def __init__(self, connection, applied: frozenset):
        executor = DjangoMigrationExecutor(connection)
        executor.loader.applied_migrations = {
            key: executor.loader.graph.nodes[key] for key in applied if key in executor.loader.graph.nodes
        }
        targets = executor.loader.graph.leaf_nodes()
        self.plan = executor.migration_plan(targets)
        self.usable = all(not backwards and migration.atomic for migration, backwards in self.plan)
        self.creates_models = False
        self.steps = []
        if not self.plan or not self.usable:
            return
        public_only = _public_only_labels()
        state = executor._create_project_state(with_applied_migrations=True)
        for migration, _backwards in self.plan:
            if migration.app_label in public_only:
                self.steps.append((migration, None))
                continue
            operations = []
            for operation in migration.operations:
                before = state.clone()
                operation.state_forwards(migration.app_label, state)
                operations.append((operation, before, state.clone()))
                self.creates_models |= isinstance(operation, MODEL_OPERATIONS)
            self.steps.append((migration, operations))

    def apply(self, connection, schema_name: str) -> None:
        connection.set_schema(schema_name)
        with transaction.atomic(using=connection.alias):
            for migration, operations in self.steps:
                if operations:
                    with connection.schema_editor(atomic=False) as editor:
                        for operation, before, after in operations:
                            operation.database_forwards(migration.app_label, editor, before, after)
                # As MigrationRecorder.record_applied, without its per-call table check.
                with connection.cursor() as cursor:
                    cursor.execute(
                        f'INSERT INTO "{schema_name}".django_migrations (app, name, applied) '
                        "VALUES (%s, %s, now())",
                        [migration.app_label, migration.name],
                    )
        if self.creates_models:
            emit_post_migrate_signal(0, False, connection.alias)


def migrate_workspace_schemas(schema_names: list[str], *, args=(), options=None, out=sys.stdout) -> dict:
    """Bring every schema in ``schema_names`` to the newest migrations; returns figures."""
    options = options or {}
    connection = connections[options.get("database") or get_tenant_database_alias()]
    started = time.monotonic()
    groups: dict[frozenset, list[str]] = {}
    fallback: list[str] = []
    for schema_name in schema_names:
        applied = _applied(connection, schema_name)
        if applied is None:
            fallback.append(schema_name)
        else:
            groups.setdefault(applied, []).append(schema_name)
    connection.set_schema_to_public()
    migrated = 0
    for applied, members in groups.items():
        group = _GroupPlan(connection, applied)
        if not group.plan:
            continue
        if not group.usable:
            fallback.extend(members)
            continue
        names = ", ".join(f"{migration.app_label}.{migration.name}" for migration, _ in group.plan)
        out.write(f"[inprocess] {len(members)} schemas: {names}\n")
        for schema_name in members:
            group.apply(connection, schema_name)
            migrated += 1
        connection.set_schema_to_public()
    for index, schema_name in enumerate(fallback):
        run_migrations(args, options, "standard", schema_name, idx=index, count=len(fallback))
    connection.set_schema_to_public()
    figures = {
        "schemas": len(schema_names),
        "groups": len(groups),
        "migrated": migrated,
        "fallback": len(fallback),
        "seconds": round(time.monotonic() - started, 2),
    }
    if int(options.get("verbosity", 1)) >= 1:
        out.write(f"[inprocess] {figures}\n")
    return figures


class InProcessExecutor(MigrationExecutor):
    codename = "inprocess"

    def run_migrations(self, tenants=None):
        tenants = list(tenants or [])
        if self.PUBLIC_SCHEMA_NAME in tenants:
            run_migrations(self.args, self.options, self.codename, self.PUBLIC_SCHEMA_NAME)
            tenants.remove(self.PUBLIC_SCHEMA_NAME)
        if tenants:
            migrate_workspace_schemas(tenants, args=self.args, options=self.options)

    def run_multi_type_migrations(self, tenants):
        raise NotImplementedError("multi-type tenants are not used here")


def get_executor(codename=None):
    """settings.GET_EXECUTOR_FUNCTION: ``--executor`` or $EXECUTOR when given, else
    settings.TENANT_MIGRATION_EXECUTOR (``inprocess``)."""
    chosen = (
        codename or os.environ.get("EXECUTOR") or getattr(settings, "TENANT_MIGRATION_EXECUTOR", "inprocess")
    )
    if chosen == InProcessExecutor.codename:
        return InProcessExecutor
    return django_tenants_get_executor(chosen)
