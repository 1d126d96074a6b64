"""The academy through the API: customers, enrolments, sessions and rosters, and a front-desk
tablet checking students in with an API token. (Every endpoint is also in the role table and the
other-workspace tests of tests/api/test_api_access.py.)"""

import pytest
from rest_framework.test import APIClient

from academy.models import Attendance, Enrolment, Session
from academy.services import enrolment_create, student_pass_get_or_create, student_pass_token
from api.services import api_token_create
from customers.models import Customer
from tests.api.conftest import enterprise
from tests.conftest import host_of


@pytest.fixture
def api(academy):
    enterprise(academy)

    def make(user) -> APIClient:
        client = APIClient(HTTP_HOST=host_of(academy))
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=user, name='tablet')[1]}")
        return client

    return make


def test_customers_are_created_found_and_deduplicated(api, staff):
    client = api(staff)

    created = client.post(
        "/api/v1/customers/",
        {
            "full_name": "Mariana Ríos",
            "document_number": "43123456",
            "phone": "310 555 1234",
            "tags": ["Tango"],
        },
        format="json",
    )
    duplicate = client.post(
        "/api/v1/customers/", {"full_name": "Otra", "phone": "+573105551234"}, format="json"
    )
    found = client.get("/api/v1/customers/", {"search": "mariana"})

    assert created.status_code == 201, created.content
    assert created.json()["phone"] == "+573105551234" and created.json()["tags"] == ["tango"]
    assert duplicate.status_code == 409 and duplicate.json()["code"] == "duplicate_customer"
    assert [row["full_name"] for row in found.json()["results"]] == ["Mariana Ríos"]
    assert Customer.objects.count() == 1


def test_enrolment_through_the_api_waitlists_and_promotes(api, staff, make_class, make_student):
    small = make_class(capacity=1)
    first, second = make_student("Uno"), make_student("Dos")
    client = api(staff)

    one = client.post("/api/v1/enrolments/", {"academy_class": small.pk, "student": first.pk}, format="json")
    two = client.post("/api/v1/enrolments/", {"academy_class": small.pk, "student": second.pk}, format="json")
    again = client.post(
        "/api/v1/enrolments/", {"academy_class": small.pk, "student": second.pk}, format="json"
    )
    dropped = client.post(f"/api/v1/enrolments/{one.json()['id']}/drop/")
    listed = client.get(f"/api/v1/classes/{small.pk}/")

    assert (one.json()["status"], two.json()["status"]) == ("active", "waitlisted")
    assert again.status_code == 409 and again.json()["code"] == "already_enrolled"
    assert dropped.json()["status"] == "dropped"
    assert Enrolment.objects.get(student=second).status == "active"
    assert listed.json()["enrolled"] == 1 and listed.json()["waiting"] == 0


def test_sessions_of_the_week_and_a_teachers_roster(api, academy, teacher_user, session_now, make_student):
    enrolment_create(academy_class=session_now.academy_class, student=make_student("Lina"))
    # Teachers hold no API tokens (no USE_API): their phone's signed-in session reads the API.
    client = APIClient(HTTP_HOST=host_of(academy))
    client.force_login(teacher_user)

    week = client.get("/api/v1/sessions/", {"week": session_now.slot_date.isoformat()})
    roster = client.get(f"/api/v1/sessions/{session_now.pk}/roster/")

    assert session_now.pk in [row["id"] for row in week.json()["results"]]
    assert roster.json() == [
        {"student": roster.json()[0]["student"], "name": "Lina", "kind": "enrolled", "attendance": None}
    ]


def test_a_front_desk_tablet_checks_students_in_with_its_token(api, staff, site, session_now, make_student):
    student = make_student("Tablet Uno")
    enrolment_create(academy_class=session_now.academy_class, student=student)
    stranger = make_student("Tablet Dos")
    client = api(staff)
    token = student_pass_token(student_pass=student_pass_get_or_create(student=student))
    stranger_token = student_pass_token(student_pass=student_pass_get_or_create(student=stranger))

    checked = client.post("/api/v1/check-ins/", {"site": site.pk, "token": token}, format="json")
    twice = client.post("/api/v1/check-ins/", {"site": site.pk, "token": token}, format="json")
    refused = client.post("/api/v1/check-ins/", {"site": site.pk, "token": stranger_token}, format="json")
    forged = client.post("/api/v1/check-ins/", {"site": site.pk, "token": token[:-2] + "xx"}, format="json")

    assert checked.status_code == 200 and checked.json()["code"] == "checked_in"
    assert checked.json()["name"] == "Tablet Uno" and checked.json()["session"] == session_now.pk
    assert twice.status_code == 200 and twice.json()["code"] == "already_checked_in"
    assert refused.status_code == 409 and refused.json()["code"] == "not_enrolled"
    assert forged.status_code == 409 and forged.json()["code"] == "invalid_pass"
    assert Attendance.objects.filter(session=session_now).count() == 1
    assert Session.objects.filter(pk=session_now.pk).exists()
