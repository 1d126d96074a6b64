"""Self-service signup: rules for the subdomain and the service that provisions a workspace."""

import logging
import re
from decimal import Decimal

from celery import current_app
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from core.http import BROKER_ERRORS
from tenants.confirmation import CONFIRMATION_TASK
from tenants.countries import all_time_zones, country_defaults
from tenants.exceptions import SubdomainTaken
from tenants.legal import CURRENT_VERSIONS
from tenants.models import LegalAcceptance, Tenant
from tenants.services import tenant_create

logger = logging.getLogger(__name__)

# DNS label: 3 to 40 characters, lowercase letters, digits and inner hyphens.
SUBDOMAIN_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$")

RESERVED_SUBDOMAINS = frozenset(
    """
    www admin administrator api app apps static media assets cdn mail email smtp imap pop
    billing pay payments help support status docs blog news about legal terms privacy
    signup login logout auth account accounts dashboard console root system public
    dev staging test demo beta www1 www2 ns ns1 ns2 mx ftp webmail portal store shop
    tenant-template
    """.split()
)

COUNTRIES = [
    ("AR", _("Argentina")),
    ("BO", _("Bolivia")),
    ("BR", _("Brazil")),
    ("CL", _("Chile")),
    ("CO", _("Colombia")),
    ("CR", _("Costa Rica")),
    ("DO", _("Dominican Republic")),
    ("EC", _("Ecuador")),
    ("SV", _("El Salvador")),
    ("ES", _("Spain")),
    ("GT", _("Guatemala")),
    ("HN", _("Honduras")),
    ("MX", _("Mexico")),
    ("NI", _("Nicaragua")),
    ("PA", _("Panama")),
    ("PY", _("Paraguay")),
    ("PE", _("Peru")),
    ("UY", _("Uruguay")),
    ("US", _("United States")),
    ("VE", _("Venezuela")),
]
CURRENCIES = [
    ("ARS", "ARS · Peso argentino"),
    ("BOB", "BOB · Boliviano"),
    ("BRL", "BRL · Real"),
    ("CLP", "CLP · Peso chileno"),
    ("COP", "COP · Peso colombiano"),
    ("CRC", "CRC · Colón"),
    ("DOP", "DOP · Peso dominicano"),
    ("EUR", "EUR · Euro"),
    ("GTQ", "GTQ · Quetzal"),
    ("HNL", "HNL · Lempira"),
    ("MXN", "MXN · Peso mexicano"),
    ("NIO", "NIO · Córdoba"),
    ("PAB", "PAB · Balboa"),
    ("PEN", "PEN · Sol"),
    ("PYG", "PYG · Guaraní"),
    ("USD", "USD · US dollar"),
    ("UYU", "UYU · Peso uruguayo"),
]


def time_zone_choices(country: str | None = None) -> list[tuple[str, str]]:
    """The country's own zones (all the countries' when ``country`` is None), canonical names."""
    zones = country_defaults(country).time_zones if country else all_time_zones()
    return [(zone, zone.rsplit("/", 1)[-1].replace("_", " ")) for zone in zones]


def subdomain_is_free(slug: str) -> bool:
    return not Tenant.objects.filter(slug=slug).exists()


def subdomain_suggestions(slug: str, kind: str = "", limit: int = 3) -> list[str]:
    """Free alternatives to a taken subdomain, checked in one query."""
    base = slug[:34].strip("-")
    candidates = [f"{base}-{kind}" if kind else "", f"mi-{base}", *[f"{base}-{n}" for n in range(2, 10)]]
    candidates = [c for c in candidates if c and SUBDOMAIN_RE.match(c) and c not in RESERVED_SUBDOMAINS]
    taken = set(Tenant.objects.filter(slug__in=candidates).values_list("slug", flat=True))
    return [c for c in candidates if c not in taken][:limit]


def confirmation_send(tenant_id: int) -> bool:
    """Queue the confirmation email; False when the broker is down. The workspace stays
    unconfirmed and its address offers to send the email again (a written choice: the
    workspace is not undone for want of an email, and is purged after 48 h if never confirmed)."""
    try:
        current_app.signature(CONFIRMATION_TASK, args=(tenant_id,)).delay()
    except BROKER_ERRORS:
        logger.exception("confirmation email of workspace %s could not be queued", tenant_id)
        return False
    return True


def tenant_signup(
    *,
    business_name: str,
    subdomain: str,
    kind: str,
    country: str,
    currency: str,
    time_zone: str,
    language: str,
    owner_name: str,
    tax_id_label: str = "",
    default_tax_rate: Decimal = Decimal("0"),
    owner_email: str,
    owner_password: str,
    ip_address: str | None,
) -> Tenant:
    """Create the workspace (unconfirmed), its owner and the legal acceptances in one
    transaction, and queue the confirmation email after commit. The workspace opens, and the
    welcome email goes out, when the owner follows the emailed link (tenants.confirmation).

    Two signups racing for one subdomain: the second waits on the unique index, then fails
    with SubdomainTaken; its transaction (schema included: DDL is transactional in
    PostgreSQL) leaves nothing behind.
    """
    try:
        with transaction.atomic():
            tenant = tenant_create(
                slug=subdomain,
                name=business_name,
                kind=kind,
                country=country,
                currency=currency,
                time_zone=time_zone,
                language=language,
                tax_id_label=tax_id_label,
                default_tax_rate=default_tax_rate,
                owner_email=owner_email,
                owner_name=owner_name,
                owner_password=owner_password,
                confirmed=False,
            )
            LegalAcceptance.objects.bulk_create(
                LegalAcceptance(
                    tenant=tenant,
                    email=owner_email,
                    document=document,
                    version=version,
                    ip_address=ip_address,
                )
                for document, version in CURRENT_VERSIONS.items()
            )
            transaction.on_commit(lambda: confirmation_send(tenant.pk))
    except IntegrityError as error:
        raise SubdomainTaken(subdomain) from error
    return tenant
