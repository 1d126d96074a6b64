"""The one door to Stripe's API: whether billing runs online at all, and the client to use.

Every outbound call goes through the stripe library's shared HTTP transport
(``stripe.default_http_client``): the calls dj-stripe makes and ours share one connection pool,
and the tests answer both with a fake transport in one place.
"""

import threading
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal

import stripe
from django.conf import settings
from djstripe.settings import djstripe_settings

# Stripe's own default tolerance: a signature more than 5 minutes old is refused.
WEBHOOK_TOLERANCE_SECONDS = 300
# Outbound calls are made while the owner waits for a redirect: fail fast, retry a little.
HTTP_TIMEOUT_SECONDS = 20
MAX_NETWORK_RETRIES = 2


def billing_online() -> bool:
    """True when Stripe keys are configured; otherwise plans are assigned by hand (manual mode)."""
    return bool(settings.STRIPE_SECRET_KEY)


def webhooks_configured() -> bool:
    return bool(settings.DJSTRIPE_WEBHOOK_SECRET)


def shared_http_client() -> stripe.HTTPClient:
    """The stripe library's process-wide transport, created on first use with a short timeout."""
    if stripe.default_http_client is None:
        stripe.default_http_client = stripe.new_default_http_client(timeout=HTTP_TIMEOUT_SECONDS)
    return stripe.default_http_client


def stripe_client() -> stripe.StripeClient:
    """A client with the configured key, API base and pinned API version (callers check
    billing_online)."""
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        stripe_version=settings.STRIPE_API_VERSION,
        base_addresses={"api": settings.STRIPE_API_BASE},
        http_client=_guarded(shared_http_client()),
        max_network_retries=MAX_NETWORK_RETRIES,
    )


def configure_stripe_library() -> None:
    """dj-stripe calls Stripe through the library's module-level settings: point them at the
    configured API base (a local Stripe-compatible server can stand in for Stripe)."""
    stripe.api_base = settings.STRIPE_API_BASE


# --- No network inside the product's transactions ------------------------------------------------

_refusing = threading.local()


class NetworkRefused(stripe.APIConnectionError):
    """A call to Stripe was attempted where none may be made (inside a transaction)."""


class _GuardedHTTPClient:
    """The stripe library's transport, refusing every request while ``network_refused()`` is
    active in this thread; other threads go through untouched."""

    def __init__(self, inner):
        self._inner = inner

    def __getattr__(self, name):
        return getattr(self._inner, name)

    def _check(self):
        if getattr(_refusing, "depth", 0):
            raise NetworkRefused("no call to Stripe inside a transaction")

    def request_with_retries(self, *args, **kwargs):
        self._check()
        return self._inner.request_with_retries(*args, **kwargs)

    def request_stream_with_retries(self, *args, **kwargs):
        self._check()
        return self._inner.request_stream_with_retries(*args, **kwargs)

    def request(self, *args, **kwargs):
        self._check()
        return self._inner.request(*args, **kwargs)


def _guarded(client):
    return client if isinstance(client, _GuardedHTTPClient) else _GuardedHTTPClient(client)


@contextmanager
def network_refused():
    """Within this block (this thread), any call to Stripe raises NetworkRefused instead of
    going out: what the webhook writes under its row locks never waits on the network."""
    shared_http_client()
    stripe.default_http_client = _guarded(stripe.default_http_client)
    _refusing.depth = getattr(_refusing, "depth", 0) + 1
    try:
        yield
    finally:
        _refusing.depth -= 1


def subscriber_for_request(request):
    """dj-stripe's subscriber for a request: the workspace it is for (the tenant is the customer)."""
    return getattr(request, "tenant", None)


def from_minor_units(amount: int | str | None, currency: str) -> Decimal:
    """Stripe's integer amount (cents) in the currency's unit (zero-decimal currencies as they are)."""
    if amount in (None, ""):
        return Decimal(0)
    value = Decimal(str(amount))
    if currency.lower() in djstripe_settings.ZERO_DECIMAL_CURRENCIES:
        return value
    return (value / 100).quantize(Decimal("0.01"))


def from_timestamp(value: int | None) -> datetime | None:
    return None if value in (None, "") else datetime.fromtimestamp(int(value), tz=UTC)
