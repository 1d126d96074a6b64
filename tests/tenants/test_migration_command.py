"""Workspace schemas record public-only apps' migrations instead of replaying them."""

from django.core.management import call_command
from django.db import connection

from tenants.migration import record_public_only_migrations


def _applied(schema, app):
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT name FROM "{schema}".django_migrations WHERE app = %s ORDER BY name', [app])
        return [row[0] for row in cursor.fetchall()]


def test_public_only_migrations_are_recorded_in_a_workspace_schema(db, workspaces):
    schema = workspaces.beta.schema_name
    expected = _applied(schema, "djstripe")
    assert expected  # the workspace was migrated with them recorded
    with connection.cursor() as cursor:
        cursor.execute(
            f'DELETE FROM "{schema}".django_migrations WHERE app IN (%s, %s)', ["djstripe", "billing"]
        )
    connection.set_schema(schema)

    recorded = record_public_only_migrations(connection)
    again = record_public_only_migrations(connection)

    connection.set_schema_to_public()
    assert recorded >= len(expected) and again == 0
    assert _applied(schema, "djstripe") == expected
    assert "0001_initial" in _applied(schema, "billing")
    with connection.cursor() as cursor:  # and no table of theirs was made there
        cursor.execute(
            "SELECT count(*) FROM information_schema.tables"
            " WHERE table_schema = %s AND table_name LIKE 'djstripe%%'",
            [schema],
        )
        assert cursor.fetchone()[0] == 0


def test_migrate_schemas_leaves_nothing_to_do_afterwards(db, workspaces):
    call_command("migrate_schemas", schema_name=workspaces.alpha.schema_name, verbosity=0)

    with connection.cursor() as cursor:
        cursor.execute(f'SELECT count(*) FROM "{workspaces.alpha.schema_name}".django_migrations')
        assert cursor.fetchone()[0] > 50
