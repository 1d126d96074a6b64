"""An academy in Chromium at phone width: a teacher signs in and takes attendance on the roster;
the front desk checks a student in by scanner (a keyboard wedge types the QR's text and Enter)."""

from concurrent.futures import ThreadPoolExecutor
from datetime import time, timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context
from playwright.sync_api import sync_playwright

from academy.models import (
    AcademyClass,
    Attendance,
    Booking,
    ClassType,
    Enrolment,
    Holiday,
    Room,
    Session,
    StudentPass,
    Teacher,
)
from academy.services import (
    ClassInput,
    class_create,
    enrolment_create,
    student_pass_get_or_create,
    student_pass_token,
)
from accounts.models import User
from accounts.services import user_create
from customers.models import Customer
from inventory.models import Location
from tenants.models import Tenant
from tenants.services import tenant_create
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.conftest import PASSWORD

SLUG = "aula"
TEACHER_EMAIL = "profe@aula.test"
DESK_EMAIL = "recepcion@aula.test"
BOGOTA = "America/Bogota"


def _reset() -> None:
    Attendance.objects.all().delete()
    Booking.objects.all().delete()
    Enrolment.objects.all().delete()
    StudentPass.objects.all().delete()
    Session.objects.all().delete()
    AcademyClass.objects.all().delete()
    Teacher.objects.all().delete()
    Room.objects.all().delete()
    ClassType.objects.all().delete()
    Holiday.objects.all().delete()
    Customer.objects.all().delete()
    Location.objects.filter(kind=Location.Kind.BRANCH).delete()
    User.objects.filter(email__in=[TEACHER_EMAIL, DESK_EMAIL]).delete()


@pytest.fixture
def aula(workspaces, django_db_blocker):
    """A committed Colombian academy with a class going on now, two students and a teacher."""
    with django_db_blocker.unblock():
        tenant = Tenant.objects.filter(slug=SLUG).first() or tenant_create(
            slug=SLUG, name="Aula de Baile", owner_email=f"owner@{SLUG}.test", owner_password=PASSWORD
        )
        Tenant.objects.filter(pk=tenant.pk).update(kind=Tenant.Kind.ACADEMY, country="CO", time_zone=BOGOTA)
        with schema_context(tenant.schema_name):
            _reset()
            site = Location.objects.create(name="Sede Envigado", kind=Location.Kind.BRANCH)
            room = Room.objects.create(site=site, name="Salón Azul", capacity=20)
            teacher_user = user_create(
                email=TEACHER_EMAIL, password=PASSWORD, full_name="Profe Nati", role=User.Role.TEACHER
            )
            user_create(email=DESK_EMAIL, password=PASSWORD, full_name="Recepción", role=User.Role.STAFF)
            teacher = Teacher.objects.create(full_name="Natalia Zapata", user=teacher_user)
            now = timezone.localtime(timezone.now(), timezone.get_fixed_timezone(-300))
            start = now - timedelta(minutes=5)
            academy_class = class_create(
                data=ClassInput(
                    class_type=ClassType.objects.create(style="Salsa caleña"),
                    name="Salsa de las ahora",
                    room=room,
                    teacher=teacher,
                    weekdays=list(range(7)),
                    start_time=time(start.hour, start.minute),
                    duration_minutes=50,
                    capacity=15,
                    start_date=start.date(),
                )
            )
            students = {
                name: Customer.objects.create(full_name=name) for name in ("Ana Restrepo", "Bruno Gil")
            }
            for student in students.values():
                enrolment_create(academy_class=academy_class, student=student)
            token = student_pass_token(student_pass=student_pass_get_or_create(student=students["Bruno Gil"]))
    yield {"tenant": tenant, "site": site, "students": students, "token": token}
    with django_db_blocker.unblock(), schema_context(tenant.schema_name):
        _reset()


def attendance_marks(tenant, django_db_blocker) -> dict:
    """Read the attendance from a thread of its own: Playwright runs an event loop in this one,
    where Django refuses database calls."""

    def read():
        with django_db_blocker.unblock(), schema_context(tenant.schema_name):
            try:
                return {
                    name: (status, source)
                    for name, status, source in Attendance.objects.values_list(
                        "student__full_name", "status", "source"
                    )
                }
            finally:
                connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(read).result()


def sign_in(browser, base, email):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="es-CO")
    page = context.new_page()
    page.goto(base + "/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return page


def test_a_teacher_takes_attendance_on_the_phone(aula, live_server_url, browser, django_db_blocker):
    page = sign_in(browser, live_server_url.format(host=f"{SLUG}.localhost"), TEACHER_EMAIL)

    page.wait_for_url("**/academy/timetable/")
    page.locator("[data-testid=roster-link]").first.click()
    page.wait_for_selector("[data-testid=roster]")
    ana = page.locator("[data-testid=roster-row]", has_text="Ana Restrepo")
    ana.locator("[data-testid=mark-present]").click()
    page.wait_for_selector("[data-testid=roster-row].marked-present")
    bruno = page.locator("[data-testid=roster-row]", has_text="Bruno Gil")
    bruno.locator("[data-testid=mark-absent]").click()
    page.wait_for_selector("[data-testid=roster-row].marked-absent")

    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    marks = attendance_marks(aula["tenant"], django_db_blocker)
    assert marks == {"Ana Restrepo": ("present", "roster"), "Bruno Gil": ("absent", "roster")}


def test_the_front_desk_checks_a_student_in_with_a_scanner(aula, live_server_url, browser, django_db_blocker):
    page = sign_in(browser, live_server_url.format(host=f"{SLUG}.localhost"), DESK_EMAIL)
    page.goto(live_server_url.format(host=f"{SLUG}.localhost") + "/academy/checkin/")

    page.locator("[data-testid=checkin-token]").focus()
    page.keyboard.type(aula["token"])  # what a keyboard-wedge scanner does
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-testid=checkin-result].is-ok")

    assert "Bruno Gil" in page.locator("[data-testid=checkin-result]").inner_text()
    assert page.locator("[data-testid=checkin-token]").input_value() == ""  # ready for the next
    page.locator("[data-testid=checkin-token]").focus()
    page.keyboard.type("not-a-qr")
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-testid=checkin-result].is-refused")
    assert attendance_marks(aula["tenant"], django_db_blocker) == {"Bruno Gil": ("present", "qr")}


def qr_video(text: str, path) -> None:
    """A Y4M video (what Chromium's fake camera plays) showing ``text`` as a QR code, in grey."""
    import segno  # noqa: PLC0415  (only this test draws QR frames)

    width, height, scale = 640, 480, 8
    matrix = [list(row) for row in segno.make(text, error="m").matrix]
    modules = len(matrix) + 8  # a quiet zone of 4 modules each side
    left, top = (width - modules * scale) // 2, (height - modules * scale) // 2
    luma = bytearray(b"\xff" * (width * height))
    for row, cells in enumerate(matrix):
        for column, dark in enumerate(cells):
            if dark:
                for y in range(top + (row + 4) * scale, top + (row + 5) * scale):
                    start = y * width + left + (column + 4) * scale
                    luma[start : start + scale] = b"\x00" * scale
    chroma = b"\x80" * (width * height // 2)
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _frame in range(10):
            out.write(b"FRAME\n" + bytes(luma) + chroma)


def test_the_front_desk_checks_a_student_in_with_the_camera(
    aula, live_server_url, tmp_path, django_db_blocker
):
    video = tmp_path / "qr.y4m"
    qr_video(aula["token"], video)
    base = live_server_url.format(host=f"{SLUG}.localhost")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                *CHROMIUM_ARGS,
                "--use-fake-device-for-media-stream",
                "--use-fake-ui-for-media-stream",
                f"--use-file-for-fake-video-capture={video}",
                f"--unsafely-treat-insecure-origin-as-secure={base}",
            ],
        )
        try:
            page = sign_in(chromium, base, DESK_EMAIL)
            page.context.grant_permissions(["camera"], origin=base)
            page.goto(base + "/academy/checkin/")
            page.locator("[data-testid=checkin-camera]").click()
            page.wait_for_selector("[data-testid=checkin-result].is-ok", timeout=15000)
            answer = page.locator("[data-testid=checkin-result]").inner_text()
        finally:
            chromium.close()

    assert "Bruno Gil" in answer
    assert attendance_marks(aula["tenant"], django_db_blocker) == {"Bruno Gil": ("present", "qr")}
