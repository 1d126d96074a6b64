from django.db import migrations


class Migration(migrations.Migration):
    """Joins two lines of work that each added a 0005 (plans moved to their app; tax defaults)."""

    dependencies = [
        ("tenants", "0005_plan_in_plans_app"),
        ("tenants", "0005_tenant_tax_defaults"),
    ]

    operations = []
