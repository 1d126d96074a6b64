"""The plans of seed 004 (Básico, Profesional, Enterprise) plus a free tier.

Limits per seed 004 (sedes, profesores/usuarios) and issue 3 (products, sales per month).
Prices per seed 004 in COP, with the other launch currencies; the super-admin edits them later.
"""

from decimal import Decimal

from django.db import migrations

PLANS = [
    # code, name, rank, limits (products, locations, users, sales/month), api, forecasts, branding, rpm, prices
    ("free", "Gratis", 0, (25, 1, 2, 200), False, False, "none", 30, {}),
    (
        "basico",
        "Básico",
        10,
        (100, 1, 5, 1000),
        False,
        False,
        "logo",
        60,
        {"COP": "150000", "ARS": "39000", "MXN": "750", "USD": "39"},
    ),
    (
        "profesional",
        "Profesional",
        20,
        (1000, 2, 15, 10000),
        False,
        True,
        "colours",
        120,
        {"COP": "350000", "ARS": "89000", "MXN": "1750", "USD": "89"},
    ),
    (
        "enterprise",
        "Enterprise",
        30,
        (None, None, None, None),
        True,
        True,
        "white_label",
        600,
        {"COP": "750000", "ARS": "189000", "MXN": "3750", "USD": "189"},
    ),
]


def create_plans(apps, schema_editor):
    if schema_editor.connection.schema_name != "public":
        return
    Plan = apps.get_model("billing", "Plan")
    PlanPrice = apps.get_model("billing", "PlanPrice")
    for code, name, rank, limits, api, forecasts, branding, rpm, prices in PLANS:
        products, locations, users, sales = limits
        plan, _ = Plan.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "rank": rank,
                "max_products": products,
                "max_locations": locations,
                "max_users": users,
                "max_sales_per_month": sales,
                "has_api": api,
                "has_forecasts": forecasts,
                "branding_level": branding,
                "api_requests_per_minute": rpm,
                "trial_days": 14,
            },
        )
        for currency, amount in prices.items():
            PlanPrice.objects.update_or_create(
                plan=plan, currency=currency, defaults={"monthly_amount": Decimal(amount)}
            )


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial")]

    operations = [migrations.RunPython(create_plans, migrations.RunPython.noop)]
