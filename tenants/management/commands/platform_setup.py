import os

from django.core.management.base import BaseCommand
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.services import user_create
from tenants.services import platform_ensure


class Command(BaseCommand):
    help = (
        "Prepare an installation: the public tenant for BASE_DOMAIN and the template schema new "
        "workspaces are cloned from. With DJANGO_SUPERUSER_EMAIL and DJANGO_SUPERUSER_PASSWORD set, "
        "also creates that platform super-admin. Safe to run on every deploy."
    )

    def handle(self, *args, **options):
        platform_ensure()
        email = os.environ.get("DJANGO_SUPERUSER_EMAIL")
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD")
        if email and password:
            with schema_context("public"):
                if not User.objects.filter(email=email.lower()).exists():
                    user_create(email=email, password=password, is_superuser=True)
                    self.stdout.write(f"super-admin {email} created")
        self.stdout.write("platform ready")
