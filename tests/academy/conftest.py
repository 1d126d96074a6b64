"""Fixtures of the academy tests: alpha as a Colombian academy with a site, rooms, a class type,
teachers and a class factory; the team fixtures come from tests/customers/conftest.py."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from academy.models import AcademyClass, Session
from academy.services import ClassInput, class_create, class_type_create, room_create, teacher_create
from customers.services import CustomerInput, customer_create
from inventory.models import Location
from tenants.models import Tenant
from tests.customers.fixtures import *  # noqa: F403  (alpha and its team by role)

BOGOTA = "America/Bogota"


def make_academy(tenant: Tenant) -> None:
    """Turn a workspace into a Colombian academy for this test (rolled back with it). Only the
    row changes: the session's Tenant objects are shared by every test; requests load theirs."""
    Tenant.objects.filter(pk=tenant.pk).update(kind=Tenant.Kind.ACADEMY, country="CO", time_zone=BOGOTA)


@pytest.fixture
def academy(alpha):
    make_academy(alpha)
    return alpha


@pytest.fixture
def site(academy) -> Location:
    return Location.objects.create(name="Sede Laureles", kind=Location.Kind.BRANCH)


@pytest.fixture
def room(site):
    return room_create(site=site, name="Salón 1", capacity=20)


@pytest.fixture
def other_room(site):
    return room_create(site=site, name="Salón 2", capacity=20)


@pytest.fixture
def salsa(academy):
    return class_type_create(style="Salsa caleña", level="Principiantes", colour="#e11d48")


@pytest.fixture
def teacher(teacher_user):
    return teacher_create(full_name="Camila Ospina", email="camila@example.com", user_account=teacher_user)


@pytest.fixture
def other_teacher(academy):
    return teacher_create(full_name="Andrés Mejía")


@pytest.fixture
def make_class(salsa, room, teacher):
    def make(**overrides) -> AcademyClass:
        data = {
            "class_type": salsa,
            "name": "Salsa I",
            "room": room,
            "teacher": teacher,
            "weekdays": [0, 2],
            "start_time": time(19, 0),
            "duration_minutes": 60,
            "capacity": 10,
            "start_date": timezone.localdate() - timedelta(days=30),
        }
        data.update(overrides)
        return class_create(data=ClassInput(**data))

    return make


@pytest.fixture
def make_student(academy):
    counter = iter(range(1, 10_000))

    def make(name: str | None = None, **fields):
        number = next(counter)
        return customer_create(
            data=CustomerInput(
                full_name=name or f"Estudiante {number}", document_number=f"S{number}", **fields
            )
        )

    return make


@pytest.fixture
def class_now(make_class):
    """A class going on right now (started 5 minutes ago), every day of the week."""
    start = timezone.localtime(timezone.now() - timedelta(minutes=5), timezone.get_fixed_timezone(-300))
    return make_class(
        name="Salsa ahora",
        weekdays=list(range(7)),
        start_time=time(start.hour, start.minute),
        duration_minutes=50,
        start_date=start.date(),
    )


@pytest.fixture
def session_now(class_now):
    return Session.objects.get(
        academy_class=class_now, starts_at__lte=timezone.now(), ends_at__gt=timezone.now()
    )
