"""Indexes behind the product search (inventory.selectors.catalogue.product_search_filter): names
by any part, without accents or case (trigrams over public.immutable_unaccent(lower(name))),
SKUs and barcodes by their beginning (pattern ops; upper(sku) as Django writes sku__istartswith)."""

from django.db import migrations

FORWARD = """
CREATE INDEX IF NOT EXISTS inventory_product_name_search
    ON inventory_product USING gin (public.immutable_unaccent(lower(name)) public.gin_trgm_ops);
CREATE INDEX IF NOT EXISTS inventory_product_sku_prefix
    ON inventory_product (upper(sku::text) text_pattern_ops);
CREATE INDEX IF NOT EXISTS inventory_product_barcode_prefix
    ON inventory_product (barcode varchar_pattern_ops);
"""
BACKWARD = """
DROP INDEX IF EXISTS inventory_product_name_search;
DROP INDEX IF EXISTS inventory_product_sku_prefix;
DROP INDEX IF EXISTS inventory_product_barcode_prefix;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("inventory", "0005_import_number_formats"),
        ("core", "0001_search_extensions"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
