"""Tenant.plan points at plans.Plan (the same table, billing_plan): model state only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tenants", "0004_lifecycle"),
        ("plans", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="tenant",
                    name="plan",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="tenants",
                        to="plans.plan",
                        verbose_name="plan",
                    ),
                ),
            ],
        ),
    ]
