"""Proof of a human at signup: an ALTCHA proof-of-work challenge, no third-party script.

The page carries a challenge signed here (altcha, PoW v2, PBKDF2/SHA-256); the browser's widget
(npm ``altcha``, served from our static files) finds the counter whose derived key starts with
the required prefix and posts it back with the form. Solving costs a browser about a second of
work per signup, nothing for a person, and makes a flood of scripted signups expensive; the
per-address and per-domain limits (tenants.signup_limits) cap what is left.

A solution is good once: its challenge's signature is remembered in the cache until the challenge
expires (with Redis down the cache forgets, so a replay is then stopped only by the rate limits,
which fail open too: a written choice, see README "Running unattended").
"""

import datetime
import json

from altcha import Payload, create_challenge, verify_solution
from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.templatetags.static import static
from django.utils.crypto import salted_hmac
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

ALGORITHM = "PBKDF2/SHA-256"
MAX_PAYLOAD_LENGTH = 4_000  # a genuine payload is well under 1 KB


def _secret() -> str:
    return salted_hmac("tenants.human_check", "altcha", algorithm="sha256").hexdigest()


def challenge_new() -> dict:
    """A fresh signed challenge, as the widget reads it."""
    expires = datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=settings.ALTCHA_MAX_AGE)
    challenge = create_challenge(
        algorithm=ALGORITHM, cost=settings.ALTCHA_COST, expires_at=expires, hmac_secret=_secret()
    )
    return challenge.to_dict()


def solution_check(payload: str) -> None:
    """Raise ValidationError unless ``payload`` solves a challenge of ours, unexpired, unused."""
    message = _("Please wait until the check that you are a person is done, then send the form again.")
    if not payload or len(payload) > MAX_PAYLOAD_LENGTH:
        raise ValidationError(message, code="altcha_missing")
    result = verify_solution(payload, _secret())
    if not result.verified:
        raise ValidationError(message, code="altcha_invalid")
    signature = Payload.from_base64(payload).challenge.signature
    if not cache.add(f"altcha:used:{signature}", 1, timeout=settings.ALTCHA_MAX_AGE + 60):
        raise ValidationError(message, code="altcha_replayed")


class AltchaWidget(forms.Widget):
    """``<altcha-widget>`` with a new challenge each time it is drawn; the widget posts its
    payload under the field's name. Scripts: tenants/altcha.js (see the signup template)."""

    def render(self, name, value, attrs=None, renderer=None):
        # The widget ships Latin American Spanish as "es-419" (vendor/altcha/i18n).
        language = "es-419" if (attrs or {}).get("language", "es").startswith("es") else "en"
        return format_html(
            '<altcha-widget name="{}" challenge="{}" auto="onload" language="{}" '
            'data-altcha-widget="" data-worker="{}"></altcha-widget>',
            name,
            json.dumps(challenge_new(), separators=(",", ":")),
            language,
            static("vendor/altcha/workers/pbkdf2.js"),
        )

    def value_from_datadict(self, data, files, name):
        return data.get(name, "")


class AltchaField(forms.CharField):
    widget = AltchaWidget

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Are you a person?"))
        kwargs.setdefault(
            "error_messages",
            {
                "required": _(
                    "Please wait until the check that you are a person is done, then send the form again."
                )
            },
        )
        super().__init__(max_length=None, strip=True, **kwargs)

    def validate(self, value):
        super().validate(value)
        solution_check(value)
