"""Writes to workspaces (tenants) and their domains."""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context

from accounts.models import User
from accounts.services import user_create
from plans.models import Plan
from tenants.exceptions import SubdomainTaken
from tenants.models import Domain, Tenant

TRIAL_DAYS = 14
# A trial shows what the product can do: the most popular plan.
DEFAULT_TRIAL_PLAN = "profesional"


def schema_name_for(slug: str) -> str:
    # Subdomains may hold hyphens, never underscores: the mapping stays one to one.
    return slug.replace("-", "_")


def domain_for(slug: str) -> str:
    return f"{slug}.{settings.BASE_DOMAIN}"


def public_tenant_ensure() -> Tenant:
    """The public schema's tenant row, serving the bare domain (signup, admin)."""
    tenant, _ = Tenant.objects.get_or_create(
        schema_name=get_public_schema_name(),
        defaults={"name": "Platform", "slug": "public", "status": Tenant.Status.ACTIVE},
    )
    Domain.objects.get_or_create(domain=settings.BASE_DOMAIN, defaults={"tenant": tenant, "is_primary": True})
    return tenant


def template_tenant_ensure() -> Tenant:
    """The migrated, empty schema new workspaces are cloned from (see TENANT_BASE_SCHEMA).

    Created once with real migrations; as a Tenant row, `migrate_schemas` keeps it current.
    It has no domain, so no request ever reaches it.
    """
    tenant = Tenant.objects.filter(schema_name=settings.TENANT_BASE_SCHEMA).first()
    if tenant is None:
        tenant = Tenant(
            schema_name=settings.TENANT_BASE_SCHEMA,
            slug=settings.TENANT_BASE_SCHEMA.replace("_", "-"),
            name="Template",
            status=Tenant.Status.TEMPLATE,
        )
        tenant.save(verbosity=0)
    return tenant


def platform_ensure() -> Tenant:
    """What every installation needs before the first signup: public tenant and template."""
    public = public_tenant_ensure()
    template_tenant_ensure()
    return public


def tenant_create(
    *,
    slug: str,
    name: str,
    owner_email: str,
    owner_password: str,
    owner_name: str = "",
    kind: str = Tenant.Kind.SHOP,
    currency: str = "ARS",
    country: str = "AR",
    time_zone: str = "America/Argentina/Buenos_Aires",
    language: str = "es",
    tax_id_label: str = "",
    default_tax_rate: Decimal = Decimal("0"),
    plan_code: str = DEFAULT_TRIAL_PLAN,
    confirmed: bool = True,
) -> Tenant:
    """Create a workspace: its schema, its subdomain and its owner, in a trial of ``plan_code``.

    ``confirmed=False`` (self-service signup) leaves it "unconfirmed", without a trial yet, until
    the owner follows the link in the confirmation email (``tenants.confirmation``). Workspaces
    the platform makes (demo, super-admin, tests) are confirmed from the start.
    """
    if Tenant.objects.filter(slug=slug).exists():
        raise SubdomainTaken(slug)
    plan = Plan.objects.filter(code=plan_code).first()
    trial_days = plan.trial_days if plan else TRIAL_DAYS
    with transaction.atomic():
        tenant = Tenant(
            schema_name=schema_name_for(slug),
            slug=slug,
            name=name,
            kind=kind,
            email=owner_email,
            currency=currency,
            country=country,
            time_zone=time_zone,
            language=language,
            tax_id_label=tax_id_label,
            default_tax_rate=default_tax_rate,
            status=Tenant.Status.TRIAL if confirmed else Tenant.Status.UNCONFIRMED,
            trial_ends_at=timezone.now() + timedelta(days=trial_days) if confirmed else None,
            plan=plan,
        )
        tenant.save(verbosity=0)  # creates and migrates the schema
        Domain.objects.create(domain=domain_for(slug), tenant=tenant, is_primary=True)
        with schema_context(tenant.schema_name):
            user_create(
                email=owner_email,
                password=owner_password,
                full_name=owner_name,
                role=User.Role.OWNER,
            )
    return tenant


def workspace_url(tenant: Tenant, path: str = "/", request=None) -> str:
    """Absolute URL on the workspace's subdomain. With a request from the same site (the
    public site), its scheme and port are kept; otherwise the configured ones are used."""
    if request is not None:
        scheme, port = request.scheme, request.get_port()
        default = "443" if scheme == "https" else "80"
        port_part = "" if port in ("", default) else f":{port}"
    else:
        scheme = settings.SITE_SCHEME
        port_part = f":{settings.SITE_PORT}" if settings.SITE_PORT else ""
    return f"{scheme}://{domain_for(tenant.slug)}{port_part}{path}"


def workspace_reverse(tenant: Tenant, name: str, *, args=()) -> str:
    """Absolute URL of a named workspace route. Always the workspace URLconf: the caller may be
    answering a request on the bare domain (a provider's or WhatsApp's webhook)."""
    return workspace_url(tenant, reverse(name, args=args, urlconf=settings.ROOT_URLCONF))
