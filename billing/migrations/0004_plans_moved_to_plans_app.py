"""Plan and PlanPrice now belong to the plans app (same tables): billing's foreign keys point
there and billing forgets the two models. Model state only: nothing changes in the database."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0003_stripe_billing"),
        ("plans", "0001_initial"),
        ("tenants", "0005_plan_in_plans_app"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="planstripeprice",
                    name="plan",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="stripe_prices",
                        to="plans.plan",
                        verbose_name="plan",
                    ),
                ),
                migrations.AlterField(
                    model_name="billingsubscription",
                    name="plan",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="plans.plan",
                        verbose_name="plan",
                    ),
                ),
                migrations.DeleteModel(name="PlanPrice"),
                migrations.DeleteModel(name="Plan"),
            ],
        ),
    ]
