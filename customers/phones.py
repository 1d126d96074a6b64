"""Phone numbers written in E.164 (+573001234567), the form WhatsApp and SMS gateways take."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def phone_normalize(raw: str, *, region: str) -> str:
    """``raw`` as E.164, reading numbers without a ``+`` as numbers of ``region`` (ISO country).

    Empty stays empty; anything that is not a valid number raises ValidationError.
    """
    raw = (raw or "").strip()
    if not raw:
        return ""
    try:
        number = phonenumbers.parse(raw, region.upper() or None)
    except phonenumbers.NumberParseException as error:
        raise ValidationError(_("Enter a valid phone number."), code="invalid_phone") from error
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_("Enter a valid phone number."), code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
