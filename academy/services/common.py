"""Helpers shared by the academy services: the workspace's clock."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.db import connection
from django.utils import formats


def workspace_zone() -> ZoneInfo:
    """The business's time zone (a class at 19:00 is at 19:00 where the academy is)."""
    name = getattr(getattr(connection, "tenant", None), "time_zone", "") or "America/Bogota"
    return ZoneInfo(name)


def local_datetime(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=workspace_zone())


def weekday_name(weekday: int) -> str:
    # 2024-01-01 was a Monday: weekday 0.
    return formats.date_format(date(2024, 1, 1 + weekday), "l")


def time_text(at: time) -> str:
    return at.strftime("%H:%M")
