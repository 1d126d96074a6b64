"""The demo academy seeds a believable academy in a fresh workspace, and a second run adds nothing."""

from academy.demo import TEACHER_LOGIN, academy_demo_seed
from academy.models import AcademyClass, Attendance, Enrolment, Room, Session, Teacher
from accounts.models import User
from customers.models import Customer
from tests.customers.fixtures import web_client


def test_demo_academy_is_believable_and_idempotent(client_for, academy, owner):
    made = academy_demo_seed(teacher_password="demo-pass-2026")
    again = academy_demo_seed(teacher_password="demo-pass-2026")

    assert made["skipped"] is False and again["skipped"] is True
    assert made["sites"] == 2 and Room.objects.count() == 4 and Teacher.objects.count() == 6
    assert AcademyClass.objects.count() == 10
    assert 110 <= made["students"] <= 140
    assert Customer.objects.filter(guardian__isnull=False).count() >= 10  # minors with a guardian
    assert Customer.objects.filter(family__isnull=False).count() >= 20
    assert Enrolment.objects.filter(status="waitlisted").count() >= 1
    weeks_of_sessions = Session.objects.filter(academy_class__name="Salsa caleña I").count()
    assert 46 <= weeks_of_sessions <= 50  # two a week, 12 weeks behind and 12 ahead
    marks = Attendance.objects.values_list("status", flat=True)
    absent = sum(1 for mark in marks if mark == "absent") / len(marks)
    assert len(marks) > 1000 and 0.1 < absent < 0.4  # realistic no-shows
    teacher = User.objects.get(email=TEACHER_LOGIN)
    assert teacher.role == User.Role.TEACHER and teacher.check_password("demo-pass-2026")
    home = web_client(client_for, academy, owner).get("/")
    assert home.status_code == 200 and "Sede Centro" in home.text and 'data-testid="at-risk"' in home.text
    timetable = web_client(client_for, academy, teacher).get("/academy/timetable/?mine=1")
    assert "Salsa caleña I" in timetable.text and "Bachata sensual" not in timetable.text
