"""An academy opens on its day: today's sessions per site with counts, the week's occupancy,
students at risk (no attendance in 14 days) and waitlists."""

from datetime import timedelta

from django.utils import timezone

from academy.models import Enrolment
from academy.services import attendance_mark, enrolment_create
from tests.customers.fixtures import web_client


def test_academy_home_shows_today_occupancy_risk_and_waitlists(
    client_for,
    academy,
    owner,
    session_now,
    make_student,
):
    session_now.academy_class.capacity = 2
    session_now.academy_class.save(update_fields=["capacity"])
    came, missing, waiting = make_student("Vino Hoy"), make_student("Hace Rato"), make_student("Esperando")
    for student in (came, missing, waiting):
        enrolment_create(academy_class=session_now.academy_class, student=student)
    Enrolment.objects.filter(student__in=[came, missing]).update(
        enrolled_at=timezone.now() - timedelta(days=30)
    )
    attendance_mark(session=session_now, student=came, status="present")

    page = web_client(client_for, academy, owner).get("/")

    assert page.status_code == 200
    assert "Sede Laureles" in page.text and "Salsa ahora" in page.text
    assert "2 / 2" in page.text  # enrolled of capacity
    checked_in = page.text.split('data-testid="checked-in">')[1].split("<")[0]
    assert checked_in == "1"
    at_risk = page.text.split('data-testid="at-risk"')[1].split("</ul>")[0]
    assert "Hace Rato" in at_risk and "Vino Hoy" not in at_risk
    assert "Esperando" not in at_risk  # not enrolled yet: waiting
    waitlists = page.text.split('data-testid="waitlists"')[1].split("</ul>")[0]
    assert "Salsa ahora" in waitlists
    assert 'data-testid="week-occupancy">100 %' in page.text


def test_a_shop_still_opens_on_its_sales_dashboard(client_for, workspaces, owner):
    page = web_client(client_for, workspaces.alpha, owner).get("/")

    assert page.status_code == 200 and 'data-testid="sales-count"' in page.text
