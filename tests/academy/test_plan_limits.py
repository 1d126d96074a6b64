"""Seed 004's academy plans: Básico 1 site, 100 active students, 5 teachers; Profesional 2, 300,
15; Enterprise unlimited. Enforced where teachers are added and students become active, with
the message and the way up."""

from datetime import time

import pytest

from academy.models import Enrolment, Teacher
from academy.services import enrolment_create, teacher_create
from inventory.models import Location
from inventory.services import location_create
from plans.exceptions import PlanLimitReached
from plans.models import Plan
from tenants.models import Tenant
from tests.customers.fixtures import web_client


def on_plan(tenant, code: str) -> Plan:
    plan = Plan.objects.get(code=code)
    Tenant.objects.filter(pk=tenant.pk).update(plan=plan)
    return plan


@pytest.mark.parametrize(
    ("code", "students", "teachers", "sites"),
    [("basico", 100, 5, 1), ("profesional", 300, 15, 2), ("enterprise", None, None, None)],
)
def test_the_plans_carry_the_academy_limits(db, code, students, teachers, sites):
    plan = Plan.objects.get(code=code)
    assert (plan.max_active_students, plan.max_teachers, plan.max_locations) == (students, teachers, sites)


def test_a_sixth_teacher_on_basico_is_refused_with_the_way_up(client_for, academy, owner):
    on_plan(academy, "basico")
    for number in range(5):
        teacher_create(full_name=f"Profe {number}")
    client = web_client(client_for, academy, owner)

    response = client.post("/academy/setup/", {"form": "teacher", "teacher-full_name": "Sexto Profe"})

    assert response.status_code == 400
    assert "Tu plan permite 5 profesores" in response.text and "Profesional" in response.text
    assert Teacher.objects.count() == 5


def test_the_101st_active_student_on_basico_is_refused_but_more_classes_for_one_are_fine(
    client_for, academy, staff, make_class, make_student
):
    on_plan(academy, "basico")
    big = make_class(capacity=20)
    others = [
        make_class(name=f"Clase {n}", weekdays=[n], start_time=time(9 + n, 0), capacity=20)
        for n in range(1, 6)
    ]
    students = [make_student() for _ in range(101)]
    for index, student in enumerate(students[:100]):
        enrolment_create(academy_class=[big, *others][index // 20], student=student)
    client = web_client(client_for, academy, staff)
    extra_class = make_class(name="Tango extra", weekdays=[6], capacity=20)

    refused = client.post(
        f"/academy/classes/{extra_class.pk}/enrol/", {"student": students[100].pk}, follow=True
    )
    second_class = client.post(f"/academy/classes/{extra_class.pk}/enrol/", {"student": students[0].pk})

    assert "Tu plan permite 100 estudiantes activos" in refused.text and "Profesional" in refused.text
    assert not Enrolment.objects.filter(student=students[100]).exists()
    assert second_class.status_code == 302
    assert Enrolment.objects.filter(student=students[0], status="active").count() == 2


def test_a_second_site_on_basico_is_refused(academy, site):
    on_plan(academy, "basico")
    with pytest.raises(PlanLimitReached):
        location_create(name="Sede Sur", kind=Location.Kind.BRANCH)
