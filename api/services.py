"""Writes of the API app: personal tokens and idempotent execution of a request."""

import hashlib
import json
import secrets
from collections.abc import Callable
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.permissions import Perm, require_perm
from api.exceptions import IdempotencyKeyInvalid, IdempotencyKeyReused
from api.models import ApiToken, IdempotencyRecord

TOKEN_PREFIX = "sw_"
# last_used_at is written at most this often per token: a busy client does not write every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def api_token_create(*, user, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user`` (USE_API); returns it with its raw value, which is never stored nor
    shown again."""
    require_perm(user, Perm.USE_API)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user, name=(name or "").strip()[:100], prefix=raw[:10], key_hash=ApiToken.hash_key(raw)
    )
    token.full_clean(exclude=["key_hash"])
    token.save()
    return token, raw


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoke a token (idempotent): it stops authenticating at once."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_touch(*, token: ApiToken) -> None:
    """Record that the token was used (at most once a minute, without loading the row again)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def request_fingerprint(*, method: str, path: str, body: object) -> str:
    """SHA-256 of what identifies a request: the same key with another fingerprint is refused."""
    canonical = json.dumps([method, path, body], sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def idempotent_execute(
    *, key: str, user, fingerprint: str, execute: Callable[[], tuple[int, dict]]
) -> tuple[int, dict, bool]:
    """Run ``execute`` once per ``key`` in this workspace; returns (status, body, replayed).

    The record is inserted before the work, in the same transaction: a concurrent request with the
    same key blocks on the unique index until this one commits (then replays the stored answer) or
    rolls back (then does the work itself). A failed request (an exception) stores nothing, so its
    retry is tried again. The same key with another body or from another user is refused.
    """
    if not key or len(key) > 255 or not key.isprintable() or key.strip() != key:
        raise IdempotencyKeyInvalid()
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(key=key, user=user, request_hash=fingerprint)
        except IntegrityError:
            record = IdempotencyRecord.objects.get(key=key)
            if record.user_id != user.pk or record.request_hash != fingerprint:
                raise IdempotencyKeyReused() from None
            return record.response_status, record.response_body, True
        status, body = execute()
        record.response_status, record.response_body = status, body
        record.save(update_fields=["response_status", "response_body"])
    return status, body, False
