from django.apps import AppConfig


class BenchMigrateConfig(AppConfig):
    """A tenant app of the migration benchmark only: one table in every workspace schema, and a
    second migration (migrations_after) that adds a column to it."""

    name = "bench.migrate_support"
    label = "bench_migrate"
    default_auto_field = "django.db.models.BigAutoField"
