"""Opening hours of a location: is it open now, and the week as customers are told it.

Used by the ordering page (a closed shop takes no orders) and the WhatsApp assistant. Times are
wall-clock times in the workspace's time zone; a location with no hours set is "not set": open for
ordering (the business has not limited it) and answered as unknown.
"""

from dataclasses import dataclass
from datetime import datetime, time

from django.utils import timezone

from inventory.dates import workspace_timezone
from inventory.models import Location, OpeningHours


@dataclass(frozen=True)
class Interval:
    weekday: int
    opens: time
    closes: time


def week(location: Location) -> list[Interval]:
    """Every opening interval of the location, Monday first."""
    return [
        Interval(row.weekday, row.opens, row.closes)
        for row in OpeningHours.objects.filter(location=location).order_by("weekday", "opens")
    ]


def hours_set(location: Location) -> bool:
    return OpeningHours.objects.filter(location=location).exists()


def is_open(location: Location, at: datetime | None = None) -> bool:
    """True while the location is open at ``at`` (now by default); True when no hours are set."""
    intervals = week(location)
    if not intervals:
        return True
    local = timezone.localtime(at or timezone.now(), workspace_timezone())
    now = local.time()
    return any(i.weekday == local.weekday() and i.opens <= now < i.closes for i in intervals)


def replace_week(location: Location, intervals: list[Interval]) -> None:
    """Set the location's whole week at once (what a settings form saves)."""
    OpeningHours.objects.filter(location=location).delete()
    OpeningHours.objects.bulk_create(
        OpeningHours(location=location, weekday=i.weekday, opens=i.opens, closes=i.closes) for i in intervals
    )
