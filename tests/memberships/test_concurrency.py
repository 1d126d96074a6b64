"""Ten check-ins of one student at once, each into another session, with one class left on the pack,
against committed data: exactly one gets in, the others are told nothing is left, and the credits
never go below zero."""

import threading
import uuid
from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from academy.models import AcademyClass, Attendance, ClassType, Room, Session, StudentPass, Teacher
from academy.services import (
    ClassInput,
    checkin_by_token,
    class_create,
    class_type_create,
    room_create,
    student_pass_get_or_create,
    student_pass_token,
    teacher_create,
)
from accounts.models import User
from audit.models import AuditEvent
from customers.models import Customer
from customers.services import CustomerInput, customer_create
from inventory.models import DocumentCounter, Location, Product, Sale, SaleLine
from memberships.models import Entitlement, EntitlementUse, Offer
from memberships.services import OfferInput, entitlement_sell, offer_create
from tests.conftest import in_schema

SCANS = 10


def _cleanup(*, tag: str, started, sale_counter) -> None:
    EntitlementUse.objects.filter(student__document_number__iexact=tag).delete()
    Entitlement.objects.filter(student__document_number__iexact=tag).delete()
    Attendance.objects.filter(student__document_number__iexact=tag).delete()
    offers = Offer.objects.filter(name__endswith=tag)
    product_ids = list(offers.values_list("product_id", flat=True))
    SaleLine.objects.filter(product_id__in=product_ids).delete()
    Sale.objects.filter(location__name__endswith=tag).delete()
    offers.delete()
    Product.objects.filter(pk__in=product_ids).delete()
    Session.objects.filter(academy_class__name__endswith=tag).delete()
    AcademyClass.objects.filter(name__endswith=tag).delete()
    Room.objects.filter(name__endswith=tag).delete()
    Location.objects.filter(name__endswith=tag).delete()
    ClassType.objects.filter(style__endswith=tag).delete()
    Teacher.objects.filter(full_name__endswith=tag).delete()
    StudentPass.objects.filter(student__document_number__iexact=tag).delete()
    Customer.objects.filter(document_number__iexact=tag).delete()
    AuditEvent.objects.filter(created_at__gte=started).delete()
    if sale_counter is None:
        DocumentCounter.objects.filter(kind="sale").delete()
    else:
        DocumentCounter.objects.filter(kind="sale").update(last_number=sale_counter)
    # The month's sales counters start again from a COUNT of what is left.
    DocumentCounter.objects.filter(kind__startswith="sales:").delete()


@pytest.mark.timeout(180)
def test_ten_simultaneous_check_ins_with_one_class_left_admit_exactly_one(committed, workspaces):
    tag = uuid.uuid4().hex[:8]
    started = timezone.now()
    alpha = workspaces.alpha
    with in_schema(alpha):
        owner = User.objects.get(email="owner@alpha.test")
        sale_counter = (
            DocumentCounter.objects.filter(kind="sale").values_list("last_number", flat=True).first()
        )
    try:
        with in_schema(alpha):
            site = Location.objects.create(name=f"Sede {tag}", kind=Location.Kind.BRANCH)
            room = room_create(site=site, name=f"Salón {tag}", capacity=20)
            teacher = teacher_create(full_name=f"Profe {tag}")
            salsa = class_type_create(style=f"Salsa {tag}", level="", colour="#e11d48")
            first_day = timezone.localdate() + timedelta(days=1)
            academy_class = class_create(
                data=ClassInput(
                    class_type=salsa,
                    name=f"Salsa diaria {tag}",
                    room=room,
                    teacher=teacher,
                    weekdays=list(range(7)),
                    start_time=time(18, 0),
                    duration_minutes=60,
                    capacity=10,
                    start_date=first_day,
                    end_date=first_day + timedelta(days=SCANS - 1),
                )
            )
            sessions = list(Session.objects.filter(academy_class=academy_class).order_by("starts_at"))
            student = customer_create(
                data=CustomerInput(full_name="Estudiante Concurrente", document_number=tag)
            )
            pack = offer_create(
                data=OfferInput(
                    kind="pack", name=f"Paquete {tag}", price=Decimal("120000"), credits=1, valid_days=60
                ),
                user=owner,
            )
            entitlement_sell(offer=pack, student=student, location=site, seller=owner)
            token = student_pass_token(student_pass=student_pass_get_or_create(student=student))
        assert len(sessions) == SCANS

        barrier = threading.Barrier(SCANS)
        results = [None] * SCANS

        def scan(index: int) -> None:
            try:
                with in_schema(alpha):
                    barrier.wait(timeout=60)
                    results[index] = checkin_by_token(token=token, site=site, now=sessions[index].starts_at)
            finally:
                connection.close()

        threads = [threading.Thread(target=scan, args=(index,)) for index in range(SCANS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)

        assert all(result is not None for result in results)
        admitted = [result for result in results if result.ok]
        refused = [result for result in results if not result.ok]
        assert len(admitted) == 1 and admitted[0].code == "checked_in"
        assert len(refused) == SCANS - 1 and {result.code for result in refused} == {"no_classes_left"}
        with in_schema(alpha):
            entitlement = Entitlement.objects.get(student=student)
            assert entitlement.credits_used == 1 and entitlement.credits_left == 0
            assert EntitlementUse.objects.filter(student=student).count() == 1
            assert Attendance.objects.filter(student=student).count() == 1
            assert Attendance.objects.get(student=student).session == admitted[0].session
    finally:
        with in_schema(alpha):
            _cleanup(tag=tag, started=started, sale_counter=sale_counter)
