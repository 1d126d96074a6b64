"""Reads of branding: what a workspace set, and what its plan lets it show today."""

from contextlib import nullcontext
from dataclasses import dataclass, replace
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.db import connection
from django_tenants.utils import get_public_schema_name, schema_context

from branding.colours import AA_NORMAL_TEXT, readable_on_page, text_colour_on
from branding.defaults import DEFAULT_ACCENT, DEFAULT_PRIMARY, DEFAULT_SECONDARY, PRODUCT_NAME
from branding.levels import Feature, Level, level_allows, plan_level
from branding.models import Branding
from branding.storage import file_url
from tenants.models import Tenant
from tenants.selectors import tenant_current
from tenants.services import workspace_url


@dataclass(frozen=True)
class EffectiveBranding:
    """The brand a workspace shows: its settings filtered by its plan, defaults for the rest.

    URLs are empty when there is no such file; they are paths on the workspace's host when files
    are served locally, and absolute with an external store (or from ``email_branding``).
    """

    name: str
    level: str
    primary: str
    primary_contrast: str
    secondary: str
    accent: str
    accent_contrast: str
    white_label: bool
    # Whether the accent is the workspace's own (the layout then draws it under the header).
    custom_accent: bool = False
    logo_url: str = ""
    logo_2x_url: str = ""
    favicon_url: str = ""
    touch_icon_url: str = ""
    product_name: str = PRODUCT_NAME
    product_url: str = ""
    # Set by email_branding: the From header of the workspace's emails.
    from_email: str = ""

    @property
    def show_product(self) -> bool:
        """Whether the product's name and link may appear (footer, emails): not in white label."""
        return not self.white_label

    def as_public_dict(self) -> dict:
        """What /branding.json answers (no settings the plan does not apply, nothing private)."""
        return {
            "name": self.name,
            "logo_url": self.logo_url or None,
            "logo_2x_url": self.logo_2x_url or None,
            "favicon_url": self.favicon_url or None,
            "touch_icon_url": self.touch_icon_url or None,
            "colours": {
                "primary": self.primary,
                "primary_contrast": self.primary_contrast,
                "secondary": self.secondary,
                "accent": self.accent,
                "accent_contrast": self.accent_contrast,
            },
            "white_label": self.white_label,
        }


def product_site_url() -> str:
    """The public site (the product's own link in footers and emails)."""
    port = f":{settings.SITE_PORT}" if settings.SITE_PORT else ""
    return f"{settings.SITE_SCHEME}://{settings.BASE_DOMAIN}{port}/"


def branding_product_default(*, name: str = PRODUCT_NAME, level: str = Level.NONE) -> EffectiveBranding:
    """The product's own brand (the public site, and any workspace whose plan has no branding)."""
    return EffectiveBranding(
        name=name,
        level=level,
        primary=DEFAULT_PRIMARY,
        primary_contrast=text_colour_on(DEFAULT_PRIMARY),
        secondary=DEFAULT_SECONDARY,
        accent=DEFAULT_ACCENT,
        accent_contrast=text_colour_on(DEFAULT_ACCENT),
        white_label=False,
        product_url=product_site_url(),
    )


def branding_get() -> Branding:
    """The branding row of the active workspace schema (an unsaved, empty one before the first save)."""
    return Branding.objects.filter(pk=Branding.SINGLETON_ID).first() or Branding(pk=Branding.SINGLETON_ID)


def branding_level(tenant: Tenant) -> str:
    return plan_level(tenant.plan)


def schema_of(tenant: Tenant):
    """A context on ``tenant``'s schema (nothing to do when it is already the active one)."""
    if connection.schema_name == tenant.schema_name:
        return nullcontext()
    return schema_context(tenant.schema_name)


def branding_effective(*, tenant: Tenant, branding: Branding | None = None) -> EffectiveBranding:
    """What ``tenant`` shows today: its settings as far as its plan's level allows."""
    level = branding_level(tenant)
    with schema_of(tenant):
        branding = branding if branding is not None else branding_get()
        default = branding_product_default(name=tenant.name, level=level)
        if level == Level.NONE:
            return default

        def allows(feature: Feature) -> bool:
            return level_allows(level, feature)

        primary = (allows(Feature.PRIMARY) and branding.primary_colour) or default.primary
        secondary = (allows(Feature.SECONDARY) and branding.secondary_colour) or (
            # Without a secondary colour, links take the primary when it reads well on the page.
            primary if readable_on_page(primary) >= AA_NORMAL_TEXT else DEFAULT_SECONDARY
        )
        custom_accent = allows(Feature.ACCENT) and bool(branding.accent_colour)
        accent = branding.accent_colour if custom_accent else default.accent
        has_logo = allows(Feature.LOGO) and bool(branding.logo)
        has_favicon = allows(Feature.FAVICON) and bool(branding.favicon_32)
        return replace(
            default,
            name=(allows(Feature.NAME) and branding.commercial_name) or tenant.name,
            primary=primary,
            primary_contrast=text_colour_on(primary),
            secondary=secondary,
            accent=accent,
            accent_contrast=text_colour_on(accent),
            custom_accent=custom_accent,
            white_label=allows(Feature.WHITE_LABEL) and branding.white_label,
            logo_url=file_url(branding.logo) if has_logo else "",
            logo_2x_url=file_url(branding.logo_2x) if has_logo else "",
            favicon_url=file_url(branding.favicon_32) if has_favicon else "",
            touch_icon_url=file_url(branding.favicon_180) if has_favicon else "",
        )


def branding_for_request(request) -> EffectiveBranding:
    """The brand of the request's workspace (the product's on the public site), once per request."""
    cached = getattr(request, "_branding", None)
    if cached is not None:
        return cached
    tenant = getattr(request, "tenant", None)
    if tenant is None or tenant.schema_name == get_public_schema_name():
        result = branding_product_default()
    else:
        result = branding_effective(tenant=tenant)
    request._branding = result
    return result


def _absolute(url: str, absolute_for) -> str:
    if not url or url.startswith(("http://", "https://")):
        return url
    return absolute_for(url)


def with_absolute_urls(branding: EffectiveBranding, absolute_for) -> EffectiveBranding:
    """``branding`` with its file URLs made absolute by ``absolute_for(path)``."""
    return replace(
        branding,
        logo_url=_absolute(branding.logo_url, absolute_for),
        logo_2x_url=_absolute(branding.logo_2x_url, absolute_for),
        favicon_url=_absolute(branding.favicon_url, absolute_for),
        touch_icon_url=_absolute(branding.touch_icon_url, absolute_for),
    )


def email_branding(tenant: Tenant | None = None) -> EffectiveBranding:
    """The brand for an email sent by ``tenant`` (default: the workspace of the active schema).

    Works outside a request (Celery tasks): URLs are absolute, and ``from_email`` is the sender
    to use (the workspace's name in white label, the product's otherwise). Pass it to the email
    templates as ``branding`` and include ``branding/email/header.html`` and ``footer.html``.
    """
    tenant = tenant or tenant_current()
    if tenant is None or tenant.is_public:
        branding = branding_product_default()
    else:
        branding = with_absolute_urls(
            branding_effective(tenant=tenant), lambda path: workspace_url(tenant, path)
        )
    sender = settings.DEFAULT_FROM_EMAIL
    if branding.white_label:
        sender = formataddr((branding.name, parseaddr(settings.DEFAULT_FROM_EMAIL)[1]))
    return replace(branding, from_email=sender)
