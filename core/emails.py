"""The brand an email wears, for apps below the branding app.

The welcome email (tenants) and allauth's emails (accounts' adapter) wear the workspace's brand,
but those apps sit below ``branding`` and may not import it. The branding app registers its
``email_branding`` here when Django starts (``BrandingConfig.ready``); callers ask this module.
"""

from collections.abc import Callable
from typing import Any

_provider: Callable[..., Any] | None = None


def email_branding_register(provider: Callable[..., Any]) -> None:
    """Called once by the branding app: ``provider(tenant=None)`` returns the brand of an email."""
    global _provider
    _provider = provider


def email_branding(tenant=None):
    """The brand for an email sent by ``tenant`` (default: the workspace of the active schema)."""
    if _provider is None:
        raise RuntimeError("the branding app is not installed: no email brand provider is registered")
    return _provider(tenant)
