"""migrate_schemas' in-process runner: schemas grouped by their applied migrations, each group's
plan and states built once, only the DDL run per schema (tenants/migration_runner.py)."""

import io

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tenants.migration_runner import InProcessExecutor, get_executor, migrate_workspace_schemas

LAST = ("inventory", "0010_location_address_location_phone_openinghours")
BEFORE = ("inventory", "0009_purchase_order_internal_note")


def columns(schema: str, table: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = %s AND table_name = %s",
            [schema, table],
        )
        return {row[0] for row in cursor.fetchall()}


def recorded(schema: str, key: tuple[str, str]) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT 1 FROM "{schema}".django_migrations WHERE app = %s AND name = %s', list(key))
        return cursor.fetchone() is not None


def test_migrate_schemas_uses_the_in_process_runner_by_default():
    assert get_executor() is InProcessExecutor
    assert get_executor("standard").codename == "standard"


def test_a_schema_behind_gets_its_columns_and_table_and_the_others_are_left_alone(db, workspaces):
    behind, current = workspaces.gamma.schema_name, workspaces.alpha.schema_name
    connection.set_schema(behind)
    MigrationExecutor(connection).migrate([BEFORE])  # undo the newest inventory migration there
    connection.set_schema_to_public()
    assert "address" not in columns(behind, "inventory_location") and not recorded(behind, LAST)
    assert not columns(behind, "inventory_openinghours")

    out = io.StringIO()
    figures = migrate_workspace_schemas([behind, current], out=out)

    assert figures == {**figures, "schemas": 2, "groups": 2, "migrated": 1, "fallback": 0}
    assert {"address", "phone"} <= columns(behind, "inventory_location")
    assert columns(behind, "inventory_openinghours") == columns(current, "inventory_openinghours") != set()
    assert recorded(behind, LAST)
    assert f"1 schemas: {LAST[0]}.{LAST[1]}" in out.getvalue()
    # A new model: post_migrate gave it its content type in that schema.
    connection.set_schema(behind)
    assert ContentType.objects.filter(app_label="inventory", model="openinghours").exists()
    connection.set_schema_to_public()

    # Run again: nothing left to do anywhere.
    assert migrate_workspace_schemas([behind, current], out=io.StringIO())["migrated"] == 0
