"""The demo platform that `make run` creates: a super-admin and two workspaces with a little data."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.services import user_create
from inventory.models import Location
from inventory.services import location_create, product_create
from tenants.models import Tenant
from tenants.services import platform_ensure, tenant_create, workspace_url

SUPERADMIN_EMAIL = "admin@example.com"


@dataclass(frozen=True)
class DemoWorkspace:
    slug: str
    name: str
    kind: str
    owner_email: str
    owner_name: str
    locations: tuple[tuple[str, str], ...]
    products: tuple[tuple[str, str, str, str, bool], ...]  # sku, name, price, cost, holds stock


DEMO_WORKSPACES = (
    DemoWorkspace(
        slug="demo-shop",
        name="Almacén Demo",
        kind=Tenant.Kind.SHOP,
        owner_email="owner@demo-shop.example.com",
        owner_name="Lucía Fernández",
        locations=(("Local Centro", Location.Kind.STORE), ("Depósito", Location.Kind.WAREHOUSE)),
        products=(
            ("YER-500", "Yerba mate 500 g", "3200.00", "2100.00", True),
            ("CAF-250", "Café molido 250 g", "4500.00", "2900.00", True),
            ("AZU-1K", "Azúcar 1 kg", "1500.00", "950.00", True),
            ("GAL-CHO", "Galletitas de chocolate", "1200.00", "700.00", True),
            ("ACE-900", "Aceite de girasol 900 ml", "2800.00", "1900.00", True),
        ),
    ),
    DemoWorkspace(
        slug="demo-academy",
        name="Academia de Danza Demo",
        kind=Tenant.Kind.ACADEMY,
        owner_email="owner@demo-academy.example.com",
        owner_name="Martín Gómez",
        locations=(("Sede Palermo", Location.Kind.BRANCH),),
        products=(
            ("CLA-SAL-8", "Pack 8 clases de salsa", "24000.00", "0", False),
            ("CLA-TAN-4", "Pack 4 clases de tango", "14000.00", "0", False),
            ("ZAP-DAN", "Zapatos de danza", "52000.00", "31000.00", True),
        ),
    ),
)


def demo_password() -> str:
    return settings.DEMO_PASSWORD


def demo_seed() -> list[Tenant]:
    """Create what is missing of the demo platform; running it again changes nothing."""
    platform_ensure()
    with schema_context("public"):
        if not User.objects.filter(email=SUPERADMIN_EMAIL).exists():
            user_create(
                email=SUPERADMIN_EMAIL, password=demo_password(), full_name="Super Admin", is_superuser=True
            )
    tenants = []
    for demo in DEMO_WORKSPACES:
        tenant = Tenant.objects.filter(slug=demo.slug).first()
        if tenant is None:
            tenant = tenant_create(
                slug=demo.slug,
                name=demo.name,
                kind=demo.kind,
                owner_email=demo.owner_email,
                owner_name=demo.owner_name,
                owner_password=demo_password(),
            )
            with schema_context(tenant.schema_name), transaction.atomic():
                for name, kind in demo.locations:
                    location_create(name=name, kind=kind)
                for sku, name, price, cost, holds_stock in demo.products:
                    product_create(
                        sku=sku,
                        name=name,
                        sale_price=Decimal(price),
                        cost=Decimal(cost),
                        tracks_stock=holds_stock,
                    )
        tenants.append(tenant)
    return tenants


def demo_summary() -> str:
    """The URLs and logins to print after `make run`."""
    port = f":{settings.SITE_PORT}" if settings.SITE_PORT else ""
    public = f"{settings.SITE_SCHEME}://{settings.BASE_DOMAIN}{port}/"
    lines = [
        "",
        "Stockwise is running:",
        f"  Public site        {public}",
        f"  Platform admin     {public}admin/   login {SUPERADMIN_EMAIL} / {demo_password()}",
    ]
    for demo in DEMO_WORKSPACES:
        tenant = Tenant.objects.get(slug=demo.slug)
        lines.append(
            f"  {demo.name:<18.18} {workspace_url(tenant)}   login {demo.owner_email} / {demo_password()}"
        )
    return "\n".join(lines)
