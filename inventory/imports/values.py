"""Reading one cell: text, numbers written the Latin American or the English way, dates."""

import re
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from django.utils import timezone

_NOT_NUMERIC = re.compile(r"[^\d.,\-+]")


def cell_text(values: list, index: int | None) -> str:
    """The cell's text, stripped ('' when the row is short or the column absent)."""
    if index is None or index >= len(values):
        return ""
    value = values[index]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def cell_raw(values: list, index: int | None):
    if index is None or index >= len(values):
        return ""
    value = values[index]
    return value.strip() if isinstance(value, str) else value


# How a file writes numbers: "comma" is 1.234,56 (Colombia, Argentina, Spain), "point" is 1,234.56
# (Mexico, the United States, and Excel's own cells).
COMMA, POINT = "comma", "point"
CONVENTIONS = (COMMA, POINT)
# A value that could be either: one separator followed by exactly three digits ("4.500", "4,500").
EITHER = "either"
_NUMBER_LIKE = re.compile(r"^[\s$€%+\-\d.,\u00a0\u202f]*\d[\s$€%+\-\d.,\u00a0\u202f]*$")
_STRICT = {
    COMMA: re.compile(r"^[+-]?(?:\d{1,3}(?:\.\d{3})+|\d*)(?:,\d+)?$"),
    POINT: re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d*)(?:\.\d+)?$"),
}


def _cleaned(text: str) -> str:
    return _NOT_NUMERIC.sub("", text)


def number_shape(text: str) -> str | None:
    """What one written number says about its file's convention: COMMA, POINT, EITHER (a single
    separator before exactly three digits: 4.500 is 4500 or 4.5) or None (no separator, or not a
    number)."""
    cleaned = _cleaned(text).lstrip("+-")
    if not cleaned or not any(ch.isdigit() for ch in cleaned):
        return None
    commas, points = cleaned.count(","), cleaned.count(".")
    if commas and points:
        return COMMA if cleaned.rfind(",") > cleaned.rfind(".") else POINT
    if not commas and not points:
        return None
    separator = "," if commas else "."
    if cleaned.count(separator) > 1:  # several: they group thousands
        return POINT if separator == "," else COMMA
    before, after = cleaned.split(separator)
    if len(after) == 3 and 1 <= len(before) <= 3 and not before.startswith("0"):
        return EITHER
    return COMMA if separator == "," else POINT


def is_number_like(text: str) -> bool:
    """Digits, separators, signs, spaces and currency or percent signs only (no words)."""
    return bool(_NUMBER_LIKE.match(text))


def number_parse(text: str, convention: str = COMMA) -> Decimal:
    """A Decimal from a number written in ``convention``: with COMMA '1.234,56', '4.500' (4500),
    '$ 1234,5'; with POINT '1,234.56', '4,500' (4500), '4.5'. A value written the other way
    ('1,234.56' in a COMMA column) is refused rather than misread. Raises ValueError."""
    cleaned = _cleaned(text)
    if not cleaned or not any(ch.isdigit() for ch in cleaned) or not _STRICT[convention].match(cleaned):
        raise ValueError(text)
    if convention == COMMA:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    else:
        cleaned = cleaned.replace(",", "")
    try:
        number = Decimal(cleaned)
    except InvalidOperation as error:
        raise ValueError(text) from error
    if not number.is_finite():
        raise ValueError(text)
    return number


_DAY_FIRST = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%d-%m-%Y %H:%M", "%d-%m-%Y", "%d/%m/%y")


def date_parse(value, tz) -> datetime:
    """An aware datetime from an Excel date or text: ISO (2011-10-30 16:17:00) or day first
    (30/10/2011 16:17), as dates are written in Latin America. Naive times are the workspace's.
    Raises ValueError."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time.min)
    else:
        text = str(value).strip()
        if not text:
            raise ValueError(text)
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            for pattern in _DAY_FIRST:
                try:
                    moment = datetime.strptime(text, pattern).replace(tzinfo=tz)
                    break
                except ValueError:
                    continue
            else:
                raise
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=tz)
    if moment.year < 1900:
        raise ValueError(value)
    return moment
