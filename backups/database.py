"""One schema out of PostgreSQL and back in under another name, strictly.

Why a single-schema ``pg_restore -n`` "worked" with hundreds of errors (reproduced here on the
test database, 333 tables a schema): ``-n`` selects the schema's objects but not the
``CREATE SCHEMA`` entry itself, so into a database without the schema every object fails with
"schema does not exist" (848 errors), and into the database that still has it every CREATE fails
with "already exists" (617). pg_restore goes on after each error ("errors ignored on restore")
unless given ``--exit-on-error``, and the usual ``pg_restore -f - | psql`` pipe exits 0 whatever
happened, because psql only stops and fails with ``ON_ERROR_STOP``. Nothing in the archive can
rename the schema either, so a workspace could not be restored beside the live one.

Here: ``pg_dump --schema=<schema>`` as plain SQL in one REPEATABLE READ snapshot shared with
the row counts and checksums; the restore rewrites the schema's name only in SQL statements,
never in the rows of COPY blocks (customer text may contain anything), and runs the script with
psql in one transaction with ``ON_ERROR_STOP``: the first error rolls everything back and fails.
"""

import gzip
import os
import re
import subprocess
from collections.abc import Iterable, Iterator
from pathlib import Path

from django.db import connection
from django_tenants.postgresql_backend.base import _check_schema_name

from tenants.provisioning import pg_dump_path


class RestoreFailed(Exception):
    pass


def _client_program(name: str) -> str:
    """psql next to the pg_dump in use, so client and server-side tools match."""
    sibling = Path(pg_dump_path()).with_name(name)
    return str(sibling) if sibling.exists() else name


def _connection_args() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    if db.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = db["OPTIONS"]["sslmode"]
    args = [
        f"--host={db.get('HOST') or 'localhost'}",
        f"--port={db.get('PORT') or 5432}",
        f"--username={db.get('USER') or ''}",
    ]
    return args, env


def schema_tables(schema_name: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relkind IN ('r', 'p') ORDER BY c.relname",
            [schema_name],
        )
        return [row[0] for row in cursor.fetchall()]


def table_fingerprints(schema_name: str) -> dict[str, dict]:
    """Per table: its row count and an MD5 over its rows' text, independent of row order and of
    the schema's name (so a copy under another name has the same fingerprints)."""
    _check_schema_name(schema_name)
    fingerprints = {}
    with connection.cursor() as cursor:
        for table in schema_tables(schema_name):
            cursor.execute(
                "SELECT count(*), coalesce(md5(string_agg(h, '' ORDER BY h)), '') "
                f'FROM (SELECT md5(t::text) AS h FROM "{schema_name}"."{table}" t) rows'
            )
            count, checksum = cursor.fetchone()
            fingerprints[table] = {"rows": count, "md5": checksum}
    return fingerprints


def snapshot_export() -> str:
    """Start sharing this transaction's snapshot (call first in a REPEATABLE READ transaction)."""
    with connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SELECT pg_export_snapshot()")
        return cursor.fetchone()[0]


def schema_dump(*, schema_name: str, snapshot: str, destination: Path) -> None:
    """``pg_dump`` of one schema, as gzipped plain SQL, seeing the database as ``snapshot`` does."""
    _check_schema_name(schema_name)
    args, env = _connection_args()
    command = [
        pg_dump_path(),
        *args,
        f"--schema={schema_name}",
        f"--snapshot={snapshot}",
        "--no-owner",
        "--no-privileges",
        "--format=plain",
        connection.settings_dict["NAME"],
    ]
    with gzip.open(destination, "wb", compresslevel=6) as out:
        process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for chunk in iter(lambda: process.stdout.read(1 << 20), b""):
            out.write(chunk)
        stderr = process.stderr.read().decode(errors="replace")
        if process.wait() != 0:
            raise RuntimeError(f"pg_dump of {schema_name} failed: {stderr.strip()[:1000]}")


_COPY_START = re.compile(rb"^COPY .* FROM stdin;\n?$")


def rename_schema(lines: Iterable[bytes], *, old: str, new: str) -> Iterator[bytes]:
    """The dump's lines with schema ``old`` renamed ``new`` in statements; COPY data untouched."""
    qualified = re.compile(
        rb'(?<![\w$"])(?:"' + re.escape(old.encode()) + rb'"|' + re.escape(old.encode()) + rb")\."
    )
    schema_word = re.compile(rb"^(CREATE|ALTER|COMMENT ON) SCHEMA " + re.escape(old.encode()) + rb"\b")
    replacement = f'"{new}".'.encode()
    in_data = False
    for line in lines:
        if in_data:
            if line.rstrip(b"\n") == b"\\.":
                in_data = False
            yield line
            continue
        if _COPY_START.match(line):
            in_data = True
        line = schema_word.sub(lambda match: match.group(1) + f' SCHEMA "{new}"'.encode(), line)
        yield qualified.sub(replacement, line)


def schema_load(*, dump: Path, old_schema: str, new_schema: str) -> None:
    """Run the gzipped dump of ``old_schema`` as ``new_schema``: all of it or nothing."""
    _check_schema_name(new_schema)
    args, env = _connection_args()
    command = [
        _client_program("psql"),
        *args,
        "--no-psqlrc",
        "--quiet",
        "--single-transaction",
        "--set=ON_ERROR_STOP=1",
        f"--dbname={connection.settings_dict['NAME']}",
        "--file=-",
    ]
    process = subprocess.Popen(
        command, env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        with gzip.open(dump, "rb") as source:
            for line in rename_schema(source, old=old_schema, new=new_schema):
                process.stdin.write(line)
        process.stdin.close()
    except BrokenPipeError:
        pass  # psql stopped at an error: its status and message say which
    stderr = process.stderr.read().decode(errors="replace").strip()
    status = process.wait()
    # Strict: a failed statement stops psql (ON_ERROR_STOP, status 3); a warning or notice about
    # anything is treated the same, since a clean dump restores in silence.
    if status != 0 or stderr:
        raise RestoreFailed(f"restore into {new_schema} failed (psql status {status}): {stderr[:2000]}")
