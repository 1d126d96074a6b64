"""Plan and PlanPrice move from billing to plans: the tables stay where they are (billing_plan,
billing_planprice), only Django's model state changes hands (billing 0004 drops its side)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("billing", "0003_stripe_billing"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
            migrations.CreateModel(
                name='Plan',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('updated_at', models.DateTimeField(auto_now=True)),
                    ('code', models.SlugField(max_length=32, unique=True, verbose_name='code')),
                    ('name', models.CharField(max_length=60, verbose_name='name')),
                    ('rank', models.PositiveSmallIntegerField(default=0, verbose_name='rank')),
                    ('is_public', models.BooleanField(default=True, verbose_name='offered on the site')),
                    ('trial_days', models.PositiveSmallIntegerField(default=14, verbose_name='trial days')),
                    ('max_products', models.PositiveIntegerField(blank=True, null=True, verbose_name='products')),
                    ('max_locations', models.PositiveIntegerField(blank=True, null=True, verbose_name='locations')),
                    ('max_users', models.PositiveIntegerField(blank=True, null=True, verbose_name='users')),
                    ('max_sales_per_month', models.PositiveIntegerField(blank=True, null=True, verbose_name='sales per month')),
                    ('has_api', models.BooleanField(default=False, verbose_name='REST API access')),
                    ('has_forecasts', models.BooleanField(default=False, verbose_name='forecasts')),
                    ('branding_level', models.CharField(choices=[('none', 'None'), ('logo', 'Logo only'), ('colours', 'Logo, colours and favicon'), ('white_label', 'White label')], default='none', max_length=16, verbose_name='branding level')),
                    ('api_requests_per_minute', models.PositiveIntegerField(default=60, verbose_name='API requests per minute')),
                ],
                options={
                    'verbose_name': 'plan',
                    'verbose_name_plural': 'plans',
                    'ordering': ['rank'],
                    'db_table': 'billing_plan',
                },
            ),
            migrations.CreateModel(
                name='PlanPrice',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('currency', models.CharField(max_length=3, verbose_name='currency')),
                    ('monthly_amount', models.DecimalField(decimal_places=2, max_digits=12, verbose_name='monthly price')),
                    ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='prices', to='plans.plan', verbose_name='plan')),
                ],
                options={
                    'db_table': 'billing_planprice',
                    'verbose_name': 'price',
                    'verbose_name_plural': 'prices',
                    'constraints': [models.UniqueConstraint(fields=('plan', 'currency'), name='plan_price_one_per_currency'), models.CheckConstraint(condition=models.Q(('monthly_amount__gte', 0)), name='plan_price_not_negative')],
                },
            ),
            ],
        ),
    ]
