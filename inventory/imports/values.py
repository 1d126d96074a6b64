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


def number_parse(text: str) -> Decimal:
    """A Decimal from '1.234,56', '1234,56', '1,234.56', '$ 1234.56' or '-3'.

    With both separators the last one is the decimal mark; a lone comma is a decimal comma
    (Spanish), several commas or several points are thousands separators. Raises ValueError.
    """
    cleaned = _NOT_NUMERIC.sub("", text)
    if not cleaned or not any(ch.isdigit() for ch in cleaned):
        raise ValueError(text)
    commas, points = cleaned.count(","), cleaned.count(".")
    if commas and points:
        if cleaned.rfind(",") > cleaned.rfind("."):
            cleaned = cleaned.replace(".", "").replace(",", ".")
        else:
            cleaned = cleaned.replace(",", "")
    elif commas:
        cleaned = cleaned.replace(",", ".") if commas == 1 else cleaned.replace(",", "")
    elif points > 1:
        cleaned = cleaned.replace(".", "")
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
