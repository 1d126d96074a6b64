from django.core.management.base import BaseCommand

from demo.seed import demo_seed, demo_summary


class Command(BaseCommand):
    help = "Create the super-admin and the demo workspaces (demo-shop, demo-academy) if missing."

    def add_arguments(self, parser):
        parser.add_argument("--print-only", action="store_true", help="Only print the URLs and logins.")

    def handle(self, *args, print_only=False, **options):
        if not print_only:
            demo_seed()
            return
        self.stdout.write(demo_summary())
