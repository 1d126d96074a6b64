"""Enrolment through the screens: capacity, the waitlist in order, promotion with an email,
drop-ins and one free trial; and capacity under concurrency with committed data."""

import threading
import uuid
from datetime import time, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from academy.exceptions import ClassFull
from academy.models import AcademyClass, Booking, ClassType, Enrolment, Room, Session, Teacher
from academy.services import ClassInput, class_create, enrolment_create, sessions_generate
from academy.tasks import enrolment_promoted_notify
from audit.models import AuditEvent
from customers.models import Customer
from inventory.models import Location
from tests.conftest import in_schema
from tests.customers.fixtures import web_client


def test_enrolments_fill_the_class_then_wait_in_order(client_for, academy, staff, make_class, make_student):
    small = make_class(capacity=2)
    students = [make_student(f"Alumna {n}") for n in range(4)]
    client = web_client(client_for, academy, staff)

    for student in students:
        assert client.post(f"/academy/classes/{small.pk}/enrol/", {"student": student.pk}).status_code == 302

    statuses = [Enrolment.objects.get(student=s).status for s in students]
    assert statuses == ["active", "active", "waitlisted", "waitlisted"]
    page = client.get(f"/academy/classes/{small.pk}/")
    assert "2 de 2 cupos ocupados, 2 en espera" in page.text
    assert page.text.index("Alumna 2") < page.text.index("Alumna 3")
    again = client.post(f"/academy/classes/{small.pk}/enrol/", {"student": students[0].pk}, follow=True)
    assert "ya está inscrito" in again.text
    assert Enrolment.objects.filter(student=students[0]).count() == 1


def test_a_freed_place_goes_to_the_first_waiting_who_gets_an_email(
    client_for, academy, staff, make_class, make_student, django_capture_on_commit_callbacks
):
    small = make_class(capacity=1)
    leaving = make_student("Primera")
    guardian = make_student("Mamá de Sofi", email="mama@example.com")
    first_waiting = make_student(
        "Sofi", birth_date=timezone.localdate() - timedelta(days=365 * 10), guardian=guardian
    )
    second_waiting = make_student("Segunda en espera", email="segunda@example.com")
    for student in (leaving, first_waiting, second_waiting):
        enrolment_create(academy_class=small, student=student)
    client = web_client(client_for, academy, staff)
    leaving_enrolment = Enrolment.objects.get(student=leaving)

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(f"/academy/enrolments/{leaving_enrolment.pk}/drop/")

    assert response.status_code == 302
    assert Enrolment.objects.get(pk=leaving_enrolment.pk).status == "dropped"
    promoted = Enrolment.objects.get(student=first_waiting)
    assert promoted.status == "active"
    assert Enrolment.objects.get(student=second_waiting).status == "waitlisted"
    assert len(callbacks) == 1
    assert enrolment_promoted_notify(promoted.pk) is True
    assert mail.outbox[-1].to == ["mama@example.com"] and "Sofi" in mail.outbox[-1].body
    assert enrolment_promoted_notify(promoted.pk) is False  # sent once
    assert len(mail.outbox) == 1


def test_drop_in_and_one_trial_per_student(client_for, academy, staff, make_class, make_student):
    full = make_class(capacity=2)
    enrolment_create(academy_class=full, student=make_student())
    session = Session.objects.filter(academy_class=full, starts_at__gt=timezone.now()).first()
    later = Session.objects.filter(academy_class=full, starts_at__gt=session.starts_at).first()
    curious = make_student("Curiosa")
    client = web_client(client_for, academy, staff)

    trial = client.post(f"/academy/sessions/{session.pk}/book/", {"student": curious.pk, "kind": "trial"})
    second_trial = client.post(
        f"/academy/sessions/{later.pk}/book/", {"student": curious.pk, "kind": "trial"}, follow=True
    )
    no_room = client.post(
        f"/academy/sessions/{session.pk}/book/",
        {"student": make_student().pk, "kind": "drop_in"},
        follow=True,
    )

    assert trial.status_code == 302
    assert "ya tuvo su clase de prueba" in second_trial.text
    assert "está lleno" in no_room.text
    assert list(Booking.objects.values_list("student__full_name", "kind")) == [("Curiosa", "trial")]
    roster = client.get(f"/academy/sessions/{session.pk}/")
    assert "Curiosa" in roster.text and "Prueba" in roster.text


def test_a_full_class_refuses_without_waitlist(academy, make_class, make_student):
    tiny = make_class(capacity=1)
    enrolment_create(academy_class=tiny, student=make_student())

    with pytest.raises(ClassFull):
        enrolment_create(academy_class=tiny, student=make_student(), waitlist=False)
    assert Enrolment.objects.filter(academy_class=tiny).count() == 1


# --- Concurrency: committed data, one connection per thread -----------------------------------

CAPACITY = 10
TAKEN = 7  # 3 places left
CONTENDERS = 20


@pytest.mark.timeout(120)
def test_twenty_bookings_at_once_for_the_last_three_places(committed, workspaces):
    tag = uuid.uuid4().hex[:6]
    schema = workspaces.alpha.schema_name
    with in_schema(workspaces.alpha):
        site = Location.objects.create(name=f"Sede concurrente {tag}", kind=Location.Kind.BRANCH)
        room = Room.objects.create(site=site, name="Salón", capacity=50)
        class_type = ClassType.objects.create(style=f"Tango {tag}")
        teacher = Teacher.objects.create(full_name=f"Profe {tag}")
        academy_class = class_create(
            data=ClassInput(
                class_type=class_type,
                name=f"Tango {tag}",
                room=room,
                teacher=teacher,
                weekdays=[timezone.localdate().weekday()],
                start_time=time(23, 0),
                duration_minutes=45,
                capacity=CAPACITY,
                start_date=timezone.localdate(),
                end_date=timezone.localdate() + timedelta(days=14),
            )
        )
        students = [Customer.objects.create(full_name=f"Alumno {tag} {n}") for n in range(TAKEN + CONTENDERS)]
        for student in students[:TAKEN]:
            enrolment_create(academy_class=academy_class, student=student)
    barrier = threading.Barrier(CONTENDERS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def book(student):
        try:
            with schema_context(schema):
                barrier.wait()
                enrolment = enrolment_create(academy_class=academy_class, student=student)
                result = enrolment.status
        except Exception as error:  # noqa: BLE001  (reported in the assertion below)
            result = repr(error)
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=book, args=(s,)) for s in students[TAKEN:]]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert sorted(outcomes) == ["active"] * 3 + ["waitlisted"] * (CONTENDERS - 3), outcomes
        with in_schema(workspaces.alpha):
            assert Enrolment.objects.filter(academy_class=academy_class, status="active").count() == CAPACITY
    finally:
        with in_schema(workspaces.alpha):
            # The audit trail of this committed test goes too (other tests read alpha's log).
            AuditEvent.objects.filter(target__contains=tag).delete()
            Enrolment.objects.filter(academy_class=academy_class).delete()
            Session.objects.filter(academy_class=academy_class).delete()
            AcademyClass.objects.filter(pk=academy_class.pk).delete()
            Customer.objects.filter(pk__in=[s.pk for s in students]).delete()
            teacher.delete()
            room.delete()
            class_type.delete()
            site.delete()


def test_a_missed_session_is_made_up_once_in_another_class_of_the_same_type(
    client_for, academy, staff, make_class, make_student, other_teacher, other_room
):
    own = make_class(name="Salsa lunes", weekdays=[0], start_date=timezone.localdate() - timedelta(days=20))
    other = make_class(name="Salsa sábado", weekdays=[5], teacher=other_teacher, room=other_room)
    student = make_student("Repone Clases")
    enrolment_create(academy_class=own, student=student)
    sessions_generate(academy_class=own, today=timezone.localdate() - timedelta(days=20), weeks=4)
    missed = Session.objects.filter(academy_class=own, starts_at__lt=timezone.now()).first()
    target = Session.objects.filter(academy_class=other, starts_at__gt=timezone.now()).first()
    client = web_client(client_for, academy, staff)
    form = {"student": student.pk, "kind": "makeup", "makeup_for": missed.pk}

    roster = client.get(f"/academy/sessions/{target.pk}/")
    first = client.post(f"/academy/sessions/{target.pk}/book/", form)
    later = Session.objects.filter(academy_class=other, starts_at__gt=target.starts_at).first()
    twice = client.post(f"/academy/sessions/{later.pk}/book/", form, follow=True)

    assert "Salsa lunes" in roster.text  # the missed session is offered
    assert first.status_code == 302
    booking = Booking.objects.get(student=student)
    assert (booking.kind, booking.makeup_for, booking.session) == ("makeup", missed, target)
    assert "ya fue repuesta" in twice.text
    assert Booking.objects.filter(student=student).count() == 1
