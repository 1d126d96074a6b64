"""The floor of bench/api.py: the product list and detail as a minimal WSGI function on psycopg2,
no Django, served by the same gunicorn. The same SELECT the API's page runs (active products by
name, id; 50 and one more for the cursor) and the same JSON fields, one connection per worker with
the workspace's search_path. What the API adds on top of this (middleware, tenant routing, token
auth, throttling, filters, serializers) is the difference the benchmark shows.

The benchmark sets BENCH_DSN and BENCH_SCHEMA before starting it.
"""

import json
import os
import re
from datetime import datetime
from decimal import Decimal

import psycopg2

COLUMNS = (
    "p.id, p.sku, p.barcode, p.name, p.category_id, c.name, p.unit, p.sale_price, p.cost, p.tax_rate, "
    "p.tracks_stock, p.is_active, p.min_stock, p.preferred_supplier_id, p.lead_time_days, p.pack_size, "
    "p.created_at, p.updated_at"
)
FIELDS = (
    "id",
    "sku",
    "barcode",
    "name",
    "category",
    "category_name",
    "unit",
    "sale_price",
    "cost",
    "tax_rate",
    "tracks_stock",
    "is_active",
    "min_stock",
    "preferred_supplier",
    "lead_time_days",
    "pack_size",
    "created_at",
    "updated_at",
)
FROM = "FROM inventory_product p LEFT JOIN inventory_category c ON c.id = p.category_id"
LIST = f"SELECT {COLUMNS} {FROM} WHERE p.is_active ORDER BY p.name, p.id LIMIT 51"
DETAIL = f"SELECT {COLUMNS} {FROM} WHERE p.id = %s"
DETAIL_PATH = re.compile(r"^/api/v1/products/(\d+)/$")
_connection = None


def _cursor():
    global _connection
    if _connection is None or _connection.closed:
        _connection = psycopg2.connect(os.environ["BENCH_DSN"])
        _connection.autocommit = True
        with _connection.cursor() as cursor:
            cursor.execute(f"SET search_path = {os.environ['BENCH_SCHEMA']}, public")
    return _connection.cursor()


def _value(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    return value


def _row(row) -> dict:
    return {field: _value(value) for field, value in zip(FIELDS, row, strict=True)}


def application(environ, start_response):
    path = environ.get("PATH_INFO", "")
    with _cursor() as cursor:
        if path == "/api/v1/products/":
            cursor.execute(LIST)
            rows = cursor.fetchall()
            body = {"next": "cursor" if len(rows) > 50 else None, "previous": None}
            body["results"] = [_row(row) for row in rows[:50]]
        else:
            match = DETAIL_PATH.match(path)
            row = None
            if match:
                cursor.execute(DETAIL, [int(match.group(1))])
                row = cursor.fetchone()
            if row is None:
                start_response("404 Not Found", [("Content-Type", "application/json")])
                return [b'{"detail": "Not found."}']
            body = _row(row)
    data = json.dumps(body).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]
