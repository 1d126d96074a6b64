from django.core.management.base import BaseCommand
from django_tenants.utils import schema_context

from inventory.services.totals import sales_totals_rebuild
from tenants.selectors import tenant_list_active


class Command(BaseCommand):
    help = "Recompute the dashboard's sales-per-hour totals from the sales (one workspace, or all)."

    def add_arguments(self, parser):
        parser.add_argument("--schema", help="Only this workspace schema.")

    def handle(self, *args, schema=None, **options):
        schemas = [schema] if schema else list(tenant_list_active().values_list("schema_name", flat=True))
        for name in schemas:
            with schema_context(name):
                rows = sales_totals_rebuild()
            self.stdout.write(f"{name}: {rows} hourly rows")
