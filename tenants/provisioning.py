"""Fast workspace provisioning: clone the migrated template schema, and nothing more.

django-tenants' own clone path runs `migrate_schemas --fake` after cloning and re-creates its
4,000-line clone function on every call. The clone already copies the template's
django_migrations rows, so the fake migration run has nothing to record; and the function only
needs creating once per process (the first clone of each process re-creates it, so a new
django-tenants version's function replaces an old one).
"""

from django.db import connection
from django_tenants.clone import CloneSchema
from django_tenants.postgresql_backend.base import _check_schema_name
from django_tenants.utils import get_creation_fakes_migrations, schema_exists

_clone_function_ready = False


def clone_template_schema(*, base_schema: str, schema_name: str, clone_mode: str = "DATA") -> None:
    """Create ``schema_name`` as a copy (tables, data, migration records) of ``base_schema``."""
    global _clone_function_ready
    _check_schema_name(schema_name)
    connection.set_schema_to_public()
    if not _clone_function_ready:
        CloneSchema().clone_schema(base_schema, schema_name, clone_mode)
        _clone_function_ready = True
        return
    if schema_exists(schema_name, case_sensitive=False):
        raise ValueError(f"schema {schema_name} already exists")
    with connection.cursor() as cursor:
        cursor.execute("SELECT clone_schema(%s, %s, %s)", [base_schema, schema_name, clone_mode])


class ClonedSchemaMixin:
    """For the tenant model: new schemas are cloned from the template when there is one."""

    def create_schema(self, check_if_exists=False, sync_schema=True, verbosity=1):
        base_schema = self.get_base_schema() if get_creation_fakes_migrations() else False
        if not (sync_schema and base_schema and schema_exists(base_schema)):
            return super().create_schema(check_if_exists, sync_schema, verbosity)
        if check_if_exists and schema_exists(self.schema_name):
            return False
        clone_template_schema(base_schema=base_schema, schema_name=self.schema_name, clone_mode=self.clone_mode)
        connection.set_schema_to_public()
        return True
