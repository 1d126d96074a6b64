"""Fixtures of the payroll tests: the memberships' (academy, offers, sales) and a class with sessions
already taught."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from academy.models import Session
from academy.services.common import local_datetime, workspace_zone
from tests.memberships.conftest import *  # noqa: F403  (academy, teachers, students, offers, sell)


@pytest.fixture
def taught(make_class):
    """Salsa I with four weekly sessions already taught (the last 4 weeks; history is written as it
    would have been generated then)."""
    academy_class = make_class(name="Salsa I", weekdays=[0, 2])
    today = timezone.localdate(timezone=workspace_zone())
    past = []
    for weeks in (4, 3, 2, 1):
        day = today - timedelta(days=7 * weeks)
        starts_at = local_datetime(day, time(19, 0))
        past.append(
            Session.objects.create(
                academy_class=academy_class,
                slot_date=day,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(minutes=60),
                room=academy_class.room,
                teacher=academy_class.teacher,
            )
        )
    return academy_class, past
