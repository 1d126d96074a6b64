"""The demo platform that `make run` creates: a super-admin and two workspaces with a little data."""

from dataclasses import dataclass

from django.conf import settings
from django_tenants.utils import schema_context

from academy.demo import TEACHER_LOGIN, academy_demo_seed
from accounts.models import User
from accounts.services import user_create
from demo.messaging_seed import messaging_demo_seed
from demo.orders_seed import orders_demo_seed
from demo.payments_seed import payments_demo_seed
from forecasts.demo import forecast_demo_seed
from inventory.demo import inventory_demo_seed
from payroll.demo import academy_money_demo_seed
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
    country: str = "AR"
    currency: str = "ARS"
    time_zone: str = "America/Argentina/Buenos_Aires"


DEMO_WORKSPACES = (
    DemoWorkspace(
        slug="demo-shop",
        name="Almacén Demo",
        kind=Tenant.Kind.SHOP,
        owner_email="owner@demo-shop.example.com",
        owner_name="Lucía Fernández",
    ),
    DemoWorkspace(
        slug="demo-academy",
        name="Academia de Danza Demo",
        kind=Tenant.Kind.ACADEMY,
        owner_email="owner@demo-academy.example.com",
        owner_name="Martín Gómez",
        # A dance academy in Bogotá (the client's Chetango brief): Colombian holidays, pesos.
        country="CO",
        currency="COP",
        time_zone="America/Bogota",
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
                country=demo.country,
                currency=demo.currency,
                time_zone=demo.time_zone,
            )
        # Catalogue, stock, sales, purchasing and expenses of the workspace's kind; idempotent.
        with schema_context(tenant.schema_name):
            inventory_demo_seed(kind=tenant.kind)
            if tenant.kind == Tenant.Kind.SHOP:
                # two years of daily sales, suppliers with lead times, one forecast run
                forecast_demo_seed()
                orders_demo_seed()  # a menu at /pedir/ and a few orders on the board
            if tenant.kind == Tenant.Kind.ACADEMY:
                # sites, rooms, teachers (one signs in), classes, students and families,
                # attendance; then offers, packs and memberships in use, tuition and payroll
                academy_demo_seed(teacher_password=demo_password())
                academy_money_demo_seed()
                payments_demo_seed()  # a few manual payment links (demo/payments_seed.py)
        messaging_demo_seed(tenant=tenant)  # a connected-looking WhatsApp number, a few conversations
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
        if demo.kind == Tenant.Kind.ACADEMY:
            lines.append(
                f"  {'  (teacher)':<18} {workspace_url(tenant)}   login {TEACHER_LOGIN} / {demo_password()}"
            )
    return "\n".join(lines)
