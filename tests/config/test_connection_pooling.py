"""Why the product needs session pooling (PgBouncer `pool_mode = session`), not transaction
pooling: django-tenants chooses the schema with a session-level `SET search_path`, sent as its own
statement each time a cursor is opened, and pages read in autocommit (ATOMIC_REQUESTS is off).
So the SET and the query that follows are two transactions; a transaction pooler may run them on
two different server connections, and the query then reads whatever schema the last client of
that server connection chose: another workspace's data. PostgreSQL 15 does not report
search_path to the pooler (it is not a GUC_REPORT parameter), so PgBouncer cannot carry it over."""

from django.db import connections

from accounts.models import User


def test_the_schema_is_chosen_by_a_session_setting_in_a_transaction_of_its_own(db, workspaces):
    # A connection of its own, as a web worker has, outside the test's transaction.
    connection = connections.create_connection("default")
    statements = []

    def record(execute, sql, params, many, context):
        statements.append((sql, connection.get_autocommit(), connection.in_atomic_block))
        return execute(sql, params, many, context)

    try:
        connection.set_schema(workspaces.alpha.schema_name)
        with connection.execute_wrapper(record), connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {User._meta.db_table}")
            assert cursor.fetchone()[0] >= 1  # alpha's owner: the schema was chosen
        with connection.cursor() as cursor:
            cursor.execute("SHOW search_path")
            search_path = cursor.fetchone()[0]
    finally:
        connection.close()

    (set_sql, set_autocommit, set_atomic), (query_sql, query_autocommit, _) = statements
    assert set_sql.startswith("SET search_path = ") and workspaces.alpha.schema_name in set_sql
    # Both in autocommit, neither inside a transaction block: two transactions, so a transaction
    # pooler is free to send them to two different server connections.
    assert set_autocommit and query_autocommit and not set_atomic
    assert query_sql.startswith("SELECT count(*)")
    # And the setting outlives the transaction: it belongs to the server session.
    assert search_path.startswith(workspaces.alpha.schema_name)
