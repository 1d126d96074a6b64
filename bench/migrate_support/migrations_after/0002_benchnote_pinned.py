from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_migrate", "0001_initial")]
    operations = [
        migrations.AddField(model_name="benchnote", name="pinned", field=models.BooleanField(default=False)),
    ]
