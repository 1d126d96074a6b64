"""One-time sign-in links: how a new owner lands signed in on the new workspace after signup.

The raw token travels in the link only; the database keeps its SHA-256. A link works once,
for a few minutes, and only in the schema it was made in (it is a row of that schema).
"""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import LoginToken, User

LOGIN_LINK_TTL = timedelta(minutes=5)


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def login_token_create(*, user: User, ttl: timedelta = LOGIN_LINK_TTL) -> str:
    """Make a one-time token for ``user`` in the current schema; returns the raw token."""
    raw = secrets.token_urlsafe(32)
    LoginToken.objects.create(user=user, token_hash=_hash(raw), expires_at=timezone.now() + ttl)
    return raw


def login_token_use(*, raw: str) -> User | None:
    """The token's active user if the token is valid, unused and unexpired; it is then spent."""
    with transaction.atomic():
        token = (
            LoginToken.objects.select_for_update()
            .select_related("user")
            .filter(token_hash=_hash(raw), used_at__isnull=True, expires_at__gt=timezone.now())
            .first()
        )
        if token is None or not token.user.is_active:
            return None
        token.used_at = timezone.now()
        token.save(update_fields=["used_at"])
        return token.user
