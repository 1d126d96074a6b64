"""Days as the workspace lives them: "today", "same day" and daily charts use the workspace's time
zone (tenants.Tenant.time_zone), not the server's."""

import zoneinfo
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from tenants.selectors import tenant_current


def workspace_timezone() -> zoneinfo.ZoneInfo:
    """The current workspace's time zone; the active one when no workspace is on the connection."""
    tenant = tenant_current()
    if tenant is not None:
        try:
            return zoneinfo.ZoneInfo(tenant.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            pass
    return timezone.get_current_timezone()


def workspace_today(tz: zoneinfo.ZoneInfo | None = None) -> date:
    return timezone.localdate(timezone.now(), tz or workspace_timezone())


def local_date(moment: datetime, tz: zoneinfo.ZoneInfo | None = None) -> date:
    return timezone.localdate(moment, tz or workspace_timezone())


def day_start(day: date, tz: zoneinfo.ZoneInfo | None = None) -> datetime:
    """The aware instant at which ``day`` begins in the workspace."""
    return datetime.combine(day, time.min, tzinfo=tz or workspace_timezone())


def day_bounds(first: date, last: date | None = None, tz=None) -> tuple[datetime, datetime]:
    """[start of ``first``, start of the day after ``last``) as aware datetimes."""
    tz = tz or workspace_timezone()
    return day_start(first, tz), day_start((last or first) + timedelta(days=1), tz)


def month_start(tz: zoneinfo.ZoneInfo | None = None) -> datetime:
    tz = tz or workspace_timezone()
    return day_start(workspace_today(tz).replace(day=1), tz)
