"""Fixtures of the tuition tests: the academy's, a class with a monthly fee, and families."""

from datetime import date, datetime, time
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from academy.models import Enrolment
from academy.services import enrolment_create
from academy.services.common import workspace_zone
from customers.services import family_create
from fees.services import class_fee_set
from tests.academy.conftest import *  # noqa: F403  (academy, site, make_class, make_student, team)


@pytest.fixture
def next_month() -> date:
    return timezone.localdate(timezone=workspace_zone()).replace(day=1) + relativedelta(months=1)


@pytest.fixture
def salsa_class(make_class, owner):
    academy_class = make_class(capacity=10)
    class_fee_set(academy_class=academy_class, monthly_amount=Decimal("100000"), user=owner)
    return academy_class


@pytest.fixture
def enrol(salsa_class):
    def do(student, *, on: date | None = None, academy_class=None):
        enrolment = enrolment_create(academy_class=academy_class or salsa_class, student=student)
        if on is not None:  # enrolled on a given day (the history a test needs)
            moment = datetime.combine(on, time(10, 0), tzinfo=workspace_zone())
            Enrolment.objects.filter(pk=enrolment.pk).update(enrolled_at=moment)
            enrolment.refresh_from_db()
        return enrolment

    return do


@pytest.fixture
def siblings(make_student):
    """The Gómez family: two children and their mother (the guardian who pays)."""
    mother = make_student("Marta Gómez")
    first = make_student("Juan Gómez", guardian=mother)
    second = make_student("Sara Gómez", guardian=mother)
    family = family_create(name="Familia Gómez", members=[mother, first, second])
    for person in (mother, first, second):
        person.refresh_from_db()
    return family, first, second
