"""The dashboard's sales-per-hour totals (SalesHourTotal), rebuilt from the sales themselves.

Database triggers keep the totals as sales, voids and returns are written; this rebuild is the
repair and the check: it recomputes every row from the sales in one statement.
"""

from django.db import connection, transaction

from inventory.models import SalesHourTotal

REBUILD = """
INSERT INTO inventory_saleshourtotal (hour, location_id, slot, sales_total, sales_count, refunds_total)
SELECT hour, location_id, 0, SUM(sales), SUM(n), SUM(refunds) FROM (
    SELECT date_trunc('hour', created_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS hour, location_id,
           total AS sales, 1 AS n, 0 AS refunds
    FROM inventory_sale WHERE status = 'completed'
    UNION ALL
    SELECT date_trunc('hour', r.created_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', s.location_id, 0, 0,
           r.refund_total
    FROM inventory_salereturn r JOIN inventory_sale s ON s.id = r.sale_id
) AS rows GROUP BY hour, location_id
"""


def sales_totals_rebuild() -> int:
    """Recompute the workspace's sales-per-hour totals from its sales and returns; how many rows.

    Locks the sales table against writers for the few seconds it takes (a million sales), so no
    sale falls between the delete and the insert."""
    with transaction.atomic(durable=True):
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE inventory_sale, inventory_salereturn IN SHARE MODE")
            SalesHourTotal.objects.all().delete()
            cursor.execute(REBUILD)
            return cursor.rowcount
