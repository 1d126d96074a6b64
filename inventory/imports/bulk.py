"""Bulk writing for imports: ids taken from a table's sequence in one statement, rows sent with
COPY. A 100,000-row sales history spent most of its write in Django's bulk_create building
model instances and preparing each value (issue 17's profile); the rows here are plain tuples,
already checked by the importer, written in the importer's transaction (all or nothing)."""

import io
from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal

from django.db import connection

COPY_CHUNK = 20_000


def ids_reserve(table: str, count: int) -> list[int]:
    """``count`` new ids from ``table``'s id sequence (what its INSERTs would have taken)."""
    if not count:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
        )
        return [row[0] for row in cursor.fetchall()]


ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
FORMATS = {
    str: lambda value: value.translate(ESCAPES),
    int: str,
    Decimal: str,
    bool: lambda value: "t" if value else "f",
    datetime: datetime.isoformat,
}


def _text(value) -> str:
    """A value in COPY's text format (None is NULL; text escaped)."""
    if value is None:
        return "\\N"
    try:
        return FORMATS[type(value)](value)
    except KeyError:  # str subclasses (lazy translations, TextChoices members)
        return str(value).translate(ESCAPES)


def rows_copy(table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """COPY ``rows`` (tuples in ``columns`` order) into ``table`` of the active schema; how many.
    Row triggers fire as for INSERTs (the hourly sales totals stay right)."""
    quote = connection.ops.quote_name
    sql = f"COPY {quote(table)} ({', '.join(quote(column) for column in columns)}) FROM STDIN"
    written = 0
    buffer = io.StringIO()
    with connection.cursor() as cursor:
        for row in rows:
            buffer.write("\t".join(map(_text, row)))
            buffer.write("\n")
            written += 1
            if written % COPY_CHUNK == 0:
                buffer.seek(0)
                cursor.copy_expert(sql, buffer)
                buffer = io.StringIO()
        if buffer.tell():
            buffer.seek(0)
            cursor.copy_expert(sql, buffer)
    return written
