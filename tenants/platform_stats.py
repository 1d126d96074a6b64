"""Reads for the super-admin's workspace list: per-workspace user figures.

Business workspaces only: the public schema and the template schema are never counted.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import QuerySet
from django_tenants.utils import get_public_schema_name

from accounts.models import User
from tenants.models import Tenant

Status = Tenant.Status


def business_tenants() -> QuerySet[Tenant]:
    return Tenant.objects.exclude(schema_name=get_public_schema_name()).exclude(status=Status.TEMPLATE)


# --- Users per workspace (the tenant list) ------------------------------------------------------


@dataclass(frozen=True)
class UserStats:
    active_users: int
    last_login: datetime | None


def tenant_user_stats(schema_names: list[str]) -> dict[str, UserStats]:
    """Active users and latest sign-in of each schema, in two queries whatever the number.

    The first finds which of the schemas have a users table (a schema being created or dropped
    may not); the second is one UNION ALL over those schemas' users tables.
    """
    if not schema_names:
        return {}
    table = User._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relname = %s AND c.relkind = 'r' AND n.nspname = ANY(%s)",
            [table, list(schema_names)],
        )
        present = sorted(row[0] for row in cursor.fetchall())
        if not present:
            return {}
        quote = connection.ops.quote_name
        # Identifiers cannot be parameters: the schema names come from pg_namespace and are quoted.
        parts = [
            "SELECT %s, COUNT(*) FILTER (WHERE is_active), MAX(last_login) "
            f"FROM {quote(schema)}.{quote(table)}"
            for schema in present
        ]
        cursor.execute(" UNION ALL ".join(parts), present)
        return {
            schema: UserStats(active_users=count, last_login=last_login)
            for schema, count, last_login in cursor.fetchall()
        }
