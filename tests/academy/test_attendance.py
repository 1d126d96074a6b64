"""Attendance: the teacher's roster, the students' QR and the front desk's check-in."""

from datetime import timedelta

from django.core import mail, signing
from django.utils import timezone

from academy.models import Attendance, Session, StudentPass
from academy.services import (
    booking_create,
    enrolment_create,
    student_pass_get_or_create,
    student_pass_token,
)
from academy.tasks import student_pass_email
from accounts.models import User
from audit.models import AuditEvent
from customers.models import Customer
from tests.academy.conftest import make_academy
from tests.conftest import in_schema
from tests.customers.fixtures import web_client


def test_teacher_takes_attendance_on_the_phone_roster(
    client_for, academy, teacher_user, session_now, make_student
):
    ana, beto = make_student("Ana"), make_student("Beto")
    for student in (ana, beto):
        enrolment_create(academy_class=session_now.academy_class, student=student)
    walk_in = make_student("Carla Caminante")
    client = web_client(client_for, academy, teacher_user)

    roster = client.get(f"/academy/sessions/{session_now.pk}/")
    client.post(f"/academy/sessions/{session_now.pk}/", {"student": ana.pk, "status": "present"})
    client.post(f"/academy/sessions/{session_now.pk}/", {"student": beto.pk, "status": "late"})
    client.post(f"/academy/sessions/{session_now.pk}/", {"student": beto.pk, "status": "absent"})
    found = client.get(f"/academy/sessions/{session_now.pk}/", {"q": "Caminante"})
    client.post(
        f"/academy/sessions/{session_now.pk}/", {"student": walk_in.pk, "status": "present", "walk_in": "1"}
    )

    assert roster.status_code == 200 and "Ana" in roster.text and "Beto" in roster.text
    assert "Carla Caminante" in found.text
    marks = dict(Attendance.objects.filter(session=session_now).values_list("student__full_name", "status"))
    assert marks == {"Ana": "present", "Beto": "absent", "Carla Caminante": "present"}
    assert Attendance.objects.get(student=walk_in).source == "walk_in"
    assert client.get("/").status_code == 302  # a teacher's home is the timetable


def test_a_teacher_cannot_mark_another_teachers_session_nor_see_customers_or_money(
    client_for, academy, teacher_user, make_class, other_teacher, make_student
):
    other = make_class(name="Tango", teacher=other_teacher)
    session = Session.objects.filter(academy_class=other).first()
    student = make_student()
    enrolment_create(academy_class=other, student=student)
    client = web_client(client_for, academy, teacher_user)

    assert client.get(f"/academy/sessions/{session.pk}/").status_code == 404
    assert (
        client.post(
            f"/academy/sessions/{session.pk}/", {"student": student.pk, "status": "present"}
        ).status_code
        == 404
    )
    assert not Attendance.objects.exists()
    assert client.get("/academy/timetable/").status_code == 200
    for url in (
        "/customers/",
        "/academy/checkin/",
        "/academy/setup/",
        f"/academy/students/{student.pk}/card/",
    ):
        assert client.get(url).status_code == 403, url


def scan(client, site, token):
    return client.post(
        "/academy/checkin/", {"site": site.pk, "token": token}, HTTP_ACCEPT="application/json"
    ).json()


def test_qr_checks_the_student_in_once_and_is_audited(
    client_for, academy, staff, site, session_now, make_student
):
    student = make_student("Valeria Checkin")
    enrolment_create(academy_class=session_now.academy_class, student=student)
    client = web_client(client_for, academy, staff)
    card = client.get(f"/academy/students/{student.pk}/card/")
    token = student_pass_token(student_pass=StudentPass.objects.get(student=student))

    first = scan(client, site, token)
    second = scan(client, site, token)

    assert card.status_code == 200 and "<svg" in card.text and "Valeria Checkin" in card.text
    assert "Valeria" not in token and str(student.pk) != token
    assert first["ok"] and first["code"] == "checked_in" and first["name"] == "Valeria Checkin"
    assert second["ok"] and second["code"] == "already_checked_in"
    attendance = Attendance.objects.get(session=session_now, student=student)
    assert attendance.source == "qr" and attendance.status == "present"
    assert AuditEvent.objects.filter(action="academy.checkin").count() == 2
    page = client.post("/academy/checkin/", {"site": site.pk, "token": token})
    assert "is-ok" in page.text and "Valeria Checkin" in page.text


def test_a_student_not_enrolled_is_refused_with_the_reason(
    client_for, academy, staff, site, session_now, make_student
):
    stranger = make_student("Sin Inscripción")
    token = student_pass_token(student_pass=student_pass_get_or_create(student=stranger))
    client = web_client(client_for, academy, staff)

    answer = scan(client, site, token)

    assert not answer["ok"] and answer["code"] == "not_enrolled"
    assert "Salsa ahora" in answer["message"] and answer["name"] == "Sin Inscripción"
    assert not Attendance.objects.exists()
    assert AuditEvent.objects.filter(action="academy.checkin_refused").exists()


def test_a_trial_booking_lets_the_student_in(client_for, academy, staff, site, session_now, make_student):
    curious = make_student("Prueba Gratis")
    booking_create(session=session_now, student=curious, kind="trial")
    token = student_pass_token(student_pass=student_pass_get_or_create(student=curious))

    answer = scan(web_client(client_for, academy, staff), site, token)

    assert answer["ok"] and answer["code"] == "checked_in"


def test_tampered_rotated_and_revoked_qrs_are_refused(
    client_for, academy, staff, site, session_now, make_student
):
    student = make_student("Token Viejo")
    enrolment_create(academy_class=session_now.academy_class, student=student)
    client = web_client(client_for, academy, staff)
    old = student_pass_token(student_pass=student_pass_get_or_create(student=student))
    payload, signature = old.rsplit(":", 1)
    forged = signing.dumps(
        [student.academy_pass.pk, "guessed-token_nonce"], salt="academy.pass:" + academy.schema_name
    )

    assert scan(client, site, payload + ":" + signature[::-1])["code"] == "invalid_pass"
    assert scan(client, site, forged)["code"] == "invalid_pass"
    assert client.post(f"/academy/students/{student.pk}/pass/rotate/").status_code == 302
    assert scan(client, site, old)["code"] == "invalid_pass"
    new = student_pass_token(student_pass=StudentPass.objects.get(student=student))
    assert client.post(f"/academy/students/{student.pk}/pass/revoke/").status_code == 302
    assert scan(client, site, new)["code"] == "invalid_pass"
    assert not Attendance.objects.exists()


def test_another_academys_qr_is_refused_even_with_the_same_ids(
    client_for, workspaces, academy, staff, site, session_now, make_student
):
    student = make_student("Alumna de Alpha")
    enrolment_create(academy_class=session_now.academy_class, student=student)
    alpha_pass = student_pass_get_or_create(student=student)
    with in_schema(workspaces.beta):
        make_academy(workspaces.beta)
        twin = Customer.objects.create(full_name="Gemela de Beta")
        StudentPass.objects.create(pk=alpha_pass.pk, student=twin, token_nonce=alpha_pass.token_nonce)
        beta_token = student_pass_token(student_pass=StudentPass.objects.get(pk=alpha_pass.pk))
        beta_owner = User.objects.get(email="owner@beta.test")
    alpha_token = student_pass_token(student_pass=alpha_pass)

    assert beta_token != alpha_token
    assert scan(web_client(client_for, academy, staff), site, beta_token)["code"] == "invalid_pass"
    beta_client = web_client(client_for, workspaces.beta, beta_owner)
    assert (
        beta_client.post(
            "/academy/checkin/", {"site": site.pk, "token": alpha_token}, HTTP_ACCEPT="application/json"
        ).status_code
        == 404
    )  # alpha's site is unknown on beta
    assert not Attendance.objects.exists()


def test_the_qr_goes_by_email_to_the_guardian_and_its_page_works_until_rotated(
    client_for, academy, staff, make_student, django_capture_on_commit_callbacks
):
    mother = make_student("Mamá de Juli", email="mama.juli@example.com")
    child = make_student("Juli", birth_date=timezone.localdate() - timedelta(days=365 * 8), guardian=mother)
    client = web_client(client_for, academy, staff)

    with django_capture_on_commit_callbacks() as callbacks:
        sent = client.post(f"/academy/students/{child.pk}/pass/send/", follow=True)
    assert "mama.juli@example.com" in sent.text and len(callbacks) == 1
    assert student_pass_email(child.pk) is True
    message = mail.outbox[-1]
    assert message.to == ["mama.juli@example.com"] and "Juli" in message.body
    assert message.attachments[0][0] == "qr.png" and message.attachments[0][1][:4] == b"\x89PNG"
    link = next(word for word in message.body.split() if "/academy/pass/" in word)
    path = link.split(".localhost", 1)[1].split("/", 1)[1]

    anonymous = client_for(academy)
    page = anonymous.get("/" + path)
    client.post(f"/academy/students/{child.pk}/pass/rotate/")
    after_rotation = anonymous.get("/" + path)

    assert page.status_code == 200 and "<svg" in page.text and "Juli" in page.text
    assert after_rotation.status_code == 404
