"""Front-desk check-ins per second through the HTTP page: 200 students arriving at one site in
the same 10 minutes, in a workspace with 300 students and 50 weekly classes.

`make bench-checkin`. Runs against its own database (bench_checkin) in the project's PostgreSQL
cluster and drops it at the end. One academy on the Enterprise plan with 2 sites and 10 rooms,
10 teachers, 50 weekly classes (12 weeks of sessions each, made by the services), 300 students.
Four classes at the first site start 5 minutes before the run, with 50 students enrolled in each:
those 200 students are checked in one after the other by the front desk (a signed-in STAFF user)
with POST /academy/checkin/ (Accept: application/json), as the keyboard-wedge scanner does, each
timed through the Django test client in-process; then 50 of them scan again (idempotent answer).
Prints `checkin_p50_ms`, `checkin_p95_ms` (target: 150 ms or less), `checkins_per_s`,
`rescan_p95_ms` and `refused` (must be 0).
"""

import statistics
import sys
import time
from pathlib import Path

from own_database import run_inner  # bench/own_database: the throwaway database

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "bench_checkin"
SLUG = "bench-checkin"
PASSWORD = "bench-password-2026"
STUDENTS = 300
CLASSES = 50
ARRIVING = 200
RESCANS = 50


def percentile(values, q):
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def inner() -> None:
    import django

    django.setup()
    from datetime import time as clock
    from datetime import timedelta

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from academy.models import Attendance, ClassType, Room, Teacher
    from academy.services import (
        ClassInput,
        class_create,
        enrolment_create,
        student_pass_get_or_create,
        student_pass_token,
    )
    from academy.services.common import workspace_zone
    from accounts.models import User
    from accounts.services import user_create
    from customers.models import Customer
    from inventory.models import Location
    from tenants.models import Tenant
    from tenants.services import domain_for, platform_ensure, tenant_create

    call_command("migrate_schemas", verbosity=0)
    platform_ensure()
    tenant = tenant_create(
        slug=SLUG,
        name="Bench Academia",
        owner_email="owner@bench-checkin.test",
        owner_password=PASSWORD,
        plan_code="enterprise",
        kind=Tenant.Kind.ACADEMY,
        country="CO",
        currency="COP",
        time_zone="America/Bogota",
    )
    connection.set_tenant(tenant)
    started = time.perf_counter()
    desk = user_create(email="recepcion@bench-checkin.test", password=PASSWORD, role=User.Role.STAFF)
    sites = [Location.objects.create(name=f"Sede {n}", kind=Location.Kind.BRANCH) for n in range(2)]
    rooms = [Room.objects.create(site=sites[n // 5], name=f"Salón {n}", capacity=60) for n in range(10)]
    teachers = [Teacher.objects.create(full_name=f"Profe {n}") for n in range(10)]
    kind = ClassType.objects.create(style="Salsa")
    now = timezone.localtime(timezone.now(), workspace_zone())
    start = now - timedelta(minutes=5)
    minutes_left = 24 * 60 - (start.hour * 60 + start.minute)
    today = start.weekday()
    classes = []
    for n in range(CLASSES):
        going_on = n < 4  # rooms 0-3 are at the first site
        classes.append(
            class_create(
                data=ClassInput(
                    class_type=kind,
                    name=f"Clase {n}",
                    room=rooms[n % 10],
                    teacher=teachers[n % 10],
                    weekdays=[today if going_on else (today + 1 + n // 10) % 7],
                    start_time=clock(start.hour, start.minute) if going_on else clock(19, 0),
                    duration_minutes=max(15, min(60, minutes_left - 1)) if going_on else 60,
                    capacity=60,
                    start_date=start.date(),
                )
            )
        )
    students = [Customer.objects.create(full_name=f"Estudiante {n:03d}") for n in range(STUDENTS)]
    for n, student in enumerate(students):
        enrolment_create(
            academy_class=classes[n // 50] if n < ARRIVING else classes[4 + n % 46], student=student
        )
    tokens = [
        student_pass_token(student_pass=student_pass_get_or_create(student=s)) for s in students[:ARRIVING]
    ]
    print(f"academy seeded in {time.perf_counter() - started:.1f} s", flush=True)

    client = Client(HTTP_HOST=domain_for(SLUG))
    response = client.post("/accounts/login/", {"login": desk.email, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    site = sites[0].pk

    def scan(token: str):
        began = time.perf_counter()
        answer = client.post(
            "/academy/checkin/", {"site": site, "token": token}, HTTP_ACCEPT="application/json"
        ).json()
        return (time.perf_counter() - began) * 1000, answer

    client.get(f"/academy/checkin/?site={site}")
    timings, refused = [], 0
    wall = time.perf_counter()
    for token in tokens:
        elapsed, answer = scan(token)
        timings.append(elapsed)
        refused += 0 if answer["code"] == "checked_in" else 1
    wall = time.perf_counter() - wall
    rescans = []
    for token in tokens[:RESCANS]:
        elapsed, answer = scan(token)
        rescans.append(elapsed)
        refused += 0 if answer["code"] == "already_checked_in" else 1
    assert Attendance.objects.count() == ARRIVING, Attendance.objects.count()

    print()
    print(f"checkin_p50_ms: {statistics.median(timings):.1f} ms")
    print(f"checkin_p95_ms: {percentile(timings, 95):.1f} ms")
    print(f"checkins_per_s: {ARRIVING / wall:.1f} /s")
    print(f"rescan_p95_ms: {percentile(rescans, 95):.1f} ms")
    print(f"refused: {refused}")


def main() -> int:
    return run_inner(script=__file__, database=BENCH_DB, redis_dbs=(9, 10), timeout=900)


if __name__ == "__main__":
    if "--inner" in sys.argv:
        inner()
    else:
        sys.exit(main())
