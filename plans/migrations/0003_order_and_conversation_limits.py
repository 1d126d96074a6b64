from django.db import migrations, models

# Online orders and WhatsApp conversations a month: none on the free tier (the features are an
# upgrade), then 300/500, 2,000/3,000 and unlimited.
LIMITS = {"free": (0, 0), "basico": (300, 500), "profesional": (2000, 3000), "enterprise": (None, None)}


def set_limits(apps, schema_editor):
    if schema_editor.connection.schema_name != "public":
        return
    Plan = apps.get_model("plans", "Plan")
    for code, (orders, conversations) in LIMITS.items():
        Plan.objects.filter(code=code).update(
            max_online_orders_per_month=orders, max_conversations_per_month=conversations
        )


class Migration(migrations.Migration):
    dependencies = [("plans", "0002_academy_limits")]

    operations = [
        migrations.AddField(
            model_name="plan",
            name="max_online_orders_per_month",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="online orders per month"),
        ),
        migrations.AddField(
            model_name="plan",
            name="max_conversations_per_month",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="WhatsApp conversations per month"),
        ),
        migrations.RunPython(set_limits, migrations.RunPython.noop),
    ]
