"""Small helpers about the HTTP request, shared by every app."""

import ipaddress

from django.conf import settings
from django.http import Http404
from kombu.exceptions import OperationalError as KombuOperationalError
from redis.exceptions import RedisError


def _trusted_networks() -> list:
    return [ipaddress.ip_network(entry, strict=False) for entry in settings.TRUSTED_PROXIES]


def _is_trusted(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_ip(request) -> str | None:
    """The address of the person's device, the one every limit and audit entry keys on.

    The connecting address (REMOTE_ADDR), unless it is one of ``settings.TRUSTED_PROXIES`` (the
    shipped Caddy): then X-Forwarded-For is read from the right, skipping our own proxies, and the
    first address no proxy of ours vouches for is the client. A client cannot forge it: what it
    sends itself is to the left of what our proxy appended.
    """
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR") or None
    networks = _trusted_networks()
    if remote is None or not networks or not _is_trusted(remote, networks):
        return remote
    forwarded = [
        hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()
    ]
    for hop in reversed(forwarded):
        if not _is_trusted(hop, networks):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return remote  # garbage where an address belongs: fall back to the proxy itself
    return remote


# What sending a Celery task raises when the broker (Redis) is down or refuses: a request that
# needed it answers 503 (or marks its job failed), never a 500.
BROKER_ERRORS = (KombuOperationalError, RedisError, OSError)

BIGINT_MAX = 2**63 - 1


def id_or_404(raw) -> int:
    """An id typed into a form or a query string, or Http404 when it is not one (letters, a
    number no table can hold, nothing): a malformed id is "not found", never a server error."""
    text = str(raw or "").strip()
    if not text.isascii() or not text.isdigit() or not 0 < int(text) <= BIGINT_MAX:
        raise Http404("no such id")
    return int(text)
