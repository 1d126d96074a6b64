"""The timetable through the screens: classes and their 12 weeks of sessions, conflicts refused
with the clash named, single-session changes, holidays (Colombian ones from `holidays`)."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core import mail
from django.utils import timezone

from academy.models import AcademyClass, Holiday, Session
from academy.services import enrolment_create, holidays_load, sessions_generate
from academy.tasks import session_cancelled_notify
from tests.academy.conftest import BOGOTA
from tests.customers.fixtures import web_client


def local(moment):
    return timezone.localtime(moment, ZoneInfo(BOGOTA))


def class_form(salsa, room, teacher, **overrides):
    data = {
        "class_type": salsa.pk,
        "name": "Bachata sensual",
        "room": room.pk,
        "teacher": teacher.pk,
        "weekdays": ["1", "3"],
        "start_time": "20:00",
        "duration_minutes": 60,
        "capacity": 12,
        "start_date": timezone.localdate().isoformat(),
        "term": "2026-II",
    }
    data.update(overrides)
    return data


def test_owner_creates_a_class_and_twelve_weeks_of_sessions_appear(
    client_for, workspaces, academy, owner, salsa, room, teacher
):
    client = web_client(client_for, academy, owner)

    response = client.post("/academy/classes/new/", class_form(salsa, room, teacher))

    assert response.status_code == 302
    created = AcademyClass.objects.get(name="Bachata sensual")
    sessions = Session.objects.filter(academy_class=created)
    assert 23 <= sessions.count() <= 25  # two days a week for 12 weeks (the edges depend on today)
    assert {local(s.starts_at).weekday() for s in sessions} <= {1, 3}
    assert all(local(s.starts_at).time() == time(20, 0) for s in sessions)
    assert sessions_generate() == 0  # the beat task again: nothing doubled
    week = client.get("/academy/timetable/", {"week": sessions.first().slot_date.isoformat()})
    assert "Bachata sensual" in week.text and "Camila Ospina" in week.text


def test_a_room_taken_at_that_time_is_refused_naming_the_clash(
    client_for, academy, owner, make_class, salsa, room, other_teacher
):
    make_class(name="Salsa I", weekdays=[1], start_time=time(19, 30))
    client = web_client(client_for, academy, owner)

    response = client.post("/academy/classes/new/", class_form(salsa, room, other_teacher))

    assert response.status_code == 400
    assert "Salón 1" in response.text and "Salsa I" in response.text and "ocupado" in response.text
    assert not AcademyClass.objects.filter(name="Bachata sensual").exists()


def test_a_teacher_teaching_elsewhere_at_that_time_is_refused(
    client_for, academy, owner, make_class, salsa, other_room, teacher
):
    make_class(name="Salsa I", weekdays=[3], start_time=time(20, 30))
    client = web_client(client_for, academy, owner)

    response = client.post("/academy/classes/new/", class_form(salsa, other_room, teacher))

    assert response.status_code == 400
    assert "Camila Ospina ya da Salsa I" in response.text


def test_back_to_back_classes_in_one_room_are_fine(
    client_for, academy, owner, make_class, salsa, room, other_teacher
):
    make_class(name="Salsa I", weekdays=[1], start_time=time(19, 0))
    client = web_client(client_for, academy, owner)

    response = client.post("/academy/classes/new/", class_form(salsa, room, other_teacher))

    assert response.status_code == 302


def _next_session(academy_class):
    return Session.objects.filter(academy_class=academy_class, starts_at__gt=timezone.now()).order_by(
        "starts_at"
    )[0]


def test_one_session_gets_a_substitute_and_another_is_moved_the_rest_stay(
    client_for, academy, owner, make_class, other_teacher, other_room
):
    salsa_class = make_class()
    first, second = Session.objects.filter(academy_class=salsa_class, starts_at__gt=timezone.now())[:2]
    client = web_client(client_for, academy, owner)

    substitute = client.post(
        f"/academy/sessions/{first.pk}/change/", {"action": "substitute", "teacher": other_teacher.pk}
    )
    new_start = local(second.starts_at) + timedelta(hours=1)
    moved = client.post(
        f"/academy/sessions/{second.pk}/change/",
        {"action": "move", "starts_at": new_start.strftime("%Y-%m-%dT%H:%M"), "room": other_room.pk},
    )

    assert substitute.status_code == 302 and moved.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.teacher == other_teacher and first.is_substitute
    assert second.starts_at == new_start and second.room == other_room
    others = Session.objects.filter(academy_class=salsa_class).exclude(pk__in=[first.pk, second.pk])
    assert set(others.values_list("teacher_id", flat=True)) == {salsa_class.teacher_id}
    assert set(others.values_list("room_id", flat=True)) == {salsa_class.room_id}


def test_moving_a_session_onto_a_taken_room_is_refused(client_for, academy, owner, make_class, other_teacher):
    salsa_class = make_class(weekdays=[0])
    tango = make_class(name="Tango", weekdays=[0], start_time=time(17, 0), teacher=other_teacher)
    target = _next_session(salsa_class)
    tango_session = Session.objects.get(academy_class=tango, slot_date=target.slot_date)
    client = web_client(client_for, academy, owner)

    response = client.post(
        f"/academy/sessions/{tango_session.pk}/change/",
        {"action": "move", "starts_at": local(target.starts_at).strftime("%Y-%m-%dT%H:%M")},
    )

    assert response.status_code == 400 and "Salsa I" in response.text
    tango_session.refresh_from_db()
    assert local(tango_session.starts_at).time() == time(17, 0)


def test_cancelling_a_session_tells_the_enrolled(
    client_for, academy, owner, make_class, make_student, django_capture_on_commit_callbacks
):
    salsa_class = make_class()
    student = make_student("Laura Gil", email="laura@example.com")
    enrolment_create(academy_class=salsa_class, student=student)
    session = _next_session(salsa_class)
    client = web_client(client_for, academy, owner)

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            f"/academy/sessions/{session.pk}/change/", {"action": "cancel", "reason": "Lluvia"}
        )

    assert response.status_code == 302 and len(callbacks) == 1
    session.refresh_from_db()
    assert session.status == Session.Status.CANCELLED and session.note == "Lluvia"
    assert session_cancelled_notify(session.pk) == 1
    assert mail.outbox[-1].to == ["laura@example.com"] and "Lluvia" in mail.outbox[-1].body


def test_colombian_holidays_are_loaded_and_cancel_that_days_classes(academy, site, make_class):
    salsa_class = make_class(weekdays=[0, 1, 2, 3, 4, 5, 6], start_date=date(2026, 1, 1))
    sessions_generate(academy_class=salsa_class, today=date(2026, 7, 1))

    loaded = holidays_load(site=site, year=2026, country="CO")

    assert loaded >= 18  # Colombia has 18 public holidays (19 dates some years)
    independence = Holiday.objects.get(site=site, date=date(2026, 7, 20))
    assert "Independencia" in independence.name
    on_holiday = Session.objects.get(academy_class=salsa_class, slot_date=date(2026, 7, 20))
    assert on_holiday.status == Session.Status.CANCELLED and "Independencia" in on_holiday.note
    day_after = Session.objects.get(academy_class=salsa_class, slot_date=date(2026, 7, 21))
    assert day_after.status == Session.Status.SCHEDULED
    assert holidays_load(site=site, year=2026, country="CO") == 0


def test_sessions_generated_on_a_known_holiday_are_born_cancelled(
    academy, site, make_class, client_for, owner
):
    client = web_client(client_for, academy, owner)
    client.post(
        "/academy/holidays/", {"site": site.pk, "date": "2026-12-08", "name": "Inmaculada Concepción"}
    )
    salsa_class = make_class(weekdays=[1], start_date=date(2026, 12, 1))

    sessions_generate(academy_class=salsa_class, today=date(2026, 12, 1))

    session = Session.objects.get(academy_class=salsa_class, slot_date=date(2026, 12, 8))
    assert session.status == Session.Status.CANCELLED
    assert datetime.combine(session.slot_date, time(19, 0)).hour == local(session.starts_at).hour
