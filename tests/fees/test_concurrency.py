"""The month's tuition run started twice at the same moment (two workers, committed data): each
enrolment is charged once."""

import threading
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.utils import timezone

from academy.models import AcademyClass, ClassType, Enrolment, Room, Session, Teacher
from academy.services import (
    ClassInput,
    class_create,
    class_type_create,
    enrolment_create,
    room_create,
    teacher_create,
)
from accounts.models import User
from audit.models import AuditEvent
from customers.models import Customer
from customers.services import CustomerInput, customer_create
from fees.models import Charge, ClassFee, TuitionRun
from fees.services import class_fee_set, tuition_run
from inventory.models import Location
from tests.conftest import in_schema

RUNS = 4
STUDENTS = 6


@pytest.mark.timeout(180)
def test_two_runs_of_a_month_at_once_charge_each_enrolment_once(committed, workspaces):
    tag = uuid.uuid4().hex[:8]
    started = timezone.now()
    alpha = workspaces.alpha
    period = timezone.localdate().replace(day=1) + relativedelta(months=5)
    try:
        with in_schema(alpha):
            owner = User.objects.get(email="owner@alpha.test")
            site = Location.objects.create(name=f"Sede {tag}", kind=Location.Kind.BRANCH)
            room = room_create(site=site, name=f"Salón {tag}", capacity=20)
            academy_class = class_create(
                data=ClassInput(
                    class_type=class_type_create(style=f"Salsa {tag}", level="", colour="#e11d48"),
                    name=f"Salsa {tag}",
                    room=room,
                    teacher=teacher_create(full_name=f"Profe {tag}"),
                    weekdays=[0],
                    start_time=timezone.datetime(2000, 1, 1, 19).time(),
                    duration_minutes=60,
                    capacity=10,
                    start_date=timezone.localdate() - timedelta(days=7),
                )
            )
            class_fee_set(academy_class=academy_class, monthly_amount=Decimal("100000"), user=owner)
            for index in range(STUDENTS):
                student = customer_create(
                    data=CustomerInput(full_name=f"Alumno {index}", document_number=f"{tag}{index}")
                )
                enrolment_create(academy_class=academy_class, student=student)
        barrier = threading.Barrier(RUNS)
        errors = []

        def run() -> None:
            try:
                with in_schema(alpha):
                    barrier.wait(timeout=60)
                    tuition_run(period=period)
            except Exception as error:  # noqa: BLE001  (reported below)
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=run) for _ in range(RUNS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)

        assert errors == []
        with in_schema(alpha):
            charges = Charge.objects.filter(period=period)
            assert charges.count() == STUDENTS
            assert charges.values("enrolment").distinct().count() == STUDENTS
            assert TuitionRun.objects.filter(period=period).count() == 1
    finally:
        with in_schema(alpha):
            Charge.objects.filter(period=period).delete()
            TuitionRun.objects.filter(period=period).delete()
            Enrolment.objects.filter(academy_class__name__endswith=tag).delete()
            ClassFee.objects.filter(academy_class__name__endswith=tag).delete()
            Session.objects.filter(academy_class__name__endswith=tag).delete()
            AcademyClass.objects.filter(name__endswith=tag).delete()
            Room.objects.filter(name__endswith=tag).delete()
            Location.objects.filter(name__endswith=tag).delete()
            ClassType.objects.filter(style__endswith=tag).delete()
            Teacher.objects.filter(full_name__endswith=tag).delete()
            Customer.objects.filter(document_number__istartswith=tag).delete()
            AuditEvent.objects.filter(created_at__gte=started).delete()
