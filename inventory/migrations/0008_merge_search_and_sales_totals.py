from django.db import migrations


class Migration(migrations.Migration):
    """Joins two lines of work that each added a 0006 (search indexes; hourly sales totals)."""

    dependencies = [
        ("inventory", "0006_sales_hour_totals"),
        ("inventory", "0007_import_column_map"),
    ]

    operations = []
