"""How many workspaces one visitor may create: per client address and per email domain.

A flood of signups costs a schema of some 300 tables each and mails addresses the visitor chose.
Counted in the cache (django-ratelimit) against the rates in settings (SIGNUP_RATE_PER_ADDRESS,
SIGNUP_RATE_PER_EMAIL_DOMAIN), for attempts that passed every other check (a refused one counts too).
"""

from django.conf import settings
from django_ratelimit.core import is_ratelimited

from core.http import client_ip


def _limits(email: str):
    domain = email.rsplit("@", 1)[-1].strip().lower()
    return [
        (
            "signup:address",
            lambda group, request: client_ip(request) or "unknown",
            settings.SIGNUP_RATE_PER_ADDRESS,
        ),
        ("signup:domain", lambda group, request: domain, settings.SIGNUP_RATE_PER_EMAIL_DOMAIN),
    ]


def signup_throttled(request, *, email: str) -> bool:
    """Count this attempt against every limit; True when it passes one of them."""
    verdicts = [
        is_ratelimited(request, group=g, key=k, rate=rate, increment=True) for g, k, rate in _limits(email)
    ]
    return any(verdicts)
