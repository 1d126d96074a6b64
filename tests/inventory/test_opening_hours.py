"""Opening hours of a location: what the ordering page and the assistant rely on."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction

from inventory.hours import Interval, hours_set, is_open, replace_week, week
from inventory.models import OpeningHours
from tests.inventory.factories import LocationFactory

BUENOS_AIRES = ZoneInfo("America/Argentina/Buenos_Aires")  # alpha's time zone


def at(day: int, hour: int, minute: int = 0) -> datetime:
    # 2026-11-30 is a Monday.
    return datetime(2026, 11, 30, hour, minute, tzinfo=BUENOS_AIRES) + timedelta(days=day)


def test_a_location_is_open_only_inside_its_intervals_in_the_workspace_time_zone(alpha):
    store = LocationFactory()
    replace_week(
        store,
        [Interval(0, time(9), time(13)), Interval(0, time(16), time(20)), Interval(5, time(10), time(14))],
    )

    assert is_open(store, at(0, 9)) is True
    assert is_open(store, at(0, 13)) is False  # closes at 13:00 sharp
    assert is_open(store, at(0, 17, 30)) is True
    assert is_open(store, at(1, 10)) is False  # no hours on Tuesday
    assert is_open(store, at(5, 11)) is True
    # 12:30 UTC on Monday is 09:30 in Buenos Aires.
    assert is_open(store, datetime(2026, 11, 30, 12, 30, tzinfo=ZoneInfo("UTC"))) is True


def test_a_location_without_hours_is_not_limited(alpha):
    store = LocationFactory()

    assert hours_set(store) is False
    assert is_open(store, at(2, 3)) is True


def test_replacing_the_week_keeps_only_the_new_intervals(alpha):
    store = LocationFactory()
    replace_week(store, [Interval(0, time(9), time(18))])
    replace_week(store, [Interval(2, time(8), time(12))])

    assert week(store) == [Interval(2, time(8), time(12))]


def test_the_database_refuses_an_interval_that_closes_before_it_opens(alpha):
    store = LocationFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        OpeningHours.objects.create(location=store, weekday=0, opens=time(18), closes=time(9))
