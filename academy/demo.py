"""The demo academy: two sites, four rooms, six teachers (one signs in with the role TEACHER),
ten weekly classes, ~120 students with families and minors, 12 weeks of sessions behind and
ahead with attendance (realistic no-shows, a few students drifting away) and a waitlist.

Runs inside the workspace's schema; deterministic and safe to run twice (skipped when the
academy already has classes). Called by the demo command as::

    with schema_context(tenant.schema_name):
        academy_demo_seed(teacher_password=settings.DEMO_PASSWORD)
"""

import random
from dataclasses import dataclass
from datetime import date, time, timedelta

from django.db import connection, transaction
from django.utils import timezone

from academy.models import AcademyClass, Attendance, Enrolment, Holiday, Room, Session
from academy.services import (
    ClassInput,
    class_create,
    class_type_create,
    enrolment_create,
    holidays_load,
    room_create,
    sessions_generate,
    teacher_create,
)
from academy.services.common import workspace_zone
from accounts.models import User
from accounts.services import user_create
from customers.demo import customers_demo_seed
from inventory.models import Location
from inventory.services import location_create
from plans.exceptions import PlanLimitReached

SITES = ("Sede Centro", "Sede Norte")
ROOMS = (  # site index, name, capacity
    (0, "Salón Grande", 25),
    (0, "Salón Espejos", 15),
    (1, "Salón Principal", 20),
    (1, "Estudio", 12),
)
TYPES = (  # style, level, ages, duration, colour
    ("Salsa caleña", "Principiantes", (16, None), 60, "#e11d48"),
    ("Salsa caleña", "Intermedio", (16, None), 60, "#be123c"),
    ("Bachata", "Todos los niveles", (16, None), 60, "#7c3aed"),
    ("Tango", "Salón", (18, None), 75, "#0f172a"),
    ("Ballet infantil", "6 a 10 años", (6, 10), 60, "#ec4899"),
    ("Salsa infantil", "7 a 12 años", (7, 12), 60, "#f97316"),
    ("Champeta", "Todos los niveles", (16, None), 60, "#16a34a"),
)
TEACHER_LOGIN = "profe@demo-academy.example.com"
TEACHERS = (
    "Camila Ospina",  # signs in as TEACHER
    "Andrés Mejía",
    "Lucía Cardona",
    "Valeria Montoya",
    "Julián Arango",
    "Sebastián Toro",
)


@dataclass(frozen=True)
class DemoClass:
    name: str
    type_index: int
    room_index: int
    teacher_index: int
    weekdays: tuple[int, ...]
    start: time
    capacity: int
    fill: float  # share of the capacity enrolled (above 1: a waitlist)


CLASSES = (
    DemoClass("Salsa caleña I", 0, 0, 0, (0, 2), time(19, 0), 20, 0.8),
    DemoClass("Salsa caleña II", 1, 0, 0, (0, 2), time(20, 0), 20, 0.65),
    DemoClass("Bachata sensual", 2, 1, 1, (1, 3), time(19, 0), 14, 0.9),
    DemoClass("Tango de salón", 3, 0, 2, (1, 3), time(20, 0), 16, 0.6),
    DemoClass("Ballet infantil", 4, 1, 3, (5,), time(10, 0), 12, 1.25),
    DemoClass("Salsa infantil", 5, 1, 3, (5,), time(11, 15), 12, 0.7),
    DemoClass("Bachata I", 2, 2, 4, (0, 2), time(19, 0), 18, 0.75),
    DemoClass("Salsa en línea", 0, 2, 5, (1, 3), time(19, 30), 18, 0.7),
    DemoClass("Champeta urbana", 6, 3, 4, (4,), time(19, 0), 12, 0.8),
    DemoClass("Tango milonga", 3, 2, 2, (5,), time(16, 0), 16, 0.55),
)
WEEKS = 12


def _owner():
    return User.objects.filter(role=User.Role.OWNER, is_active=True).order_by("pk").first()


def _sites() -> list[Location]:
    sites = []
    for name in SITES:
        site = Location.objects.filter(name=name).first()
        if site is None:
            try:
                site = location_create(name=name, kind=Location.Kind.BRANCH)
            except PlanLimitReached:
                break  # the plan allows fewer places: the demo uses what there is
        sites.append(site)
    if len(sites) < len(SITES):  # fall back on the branches the workspace already has
        sites += list(
            Location.objects.filter(kind=Location.Kind.BRANCH).exclude(pk__in=[s.pk for s in sites])
        )
    return (sites * 2)[: len(SITES)] if sites else []


def academy_demo_seed(*, teacher_password: str, today: date | None = None, seed: int = 14) -> dict:
    """Seed the current workspace as a believable academy; returns what it made (or found)."""
    if AcademyClass.objects.exists():
        return {"skipped": True, "classes": AcademyClass.objects.count()}
    owner = _owner()
    if owner is None:
        return {"skipped": True, "classes": 0}
    rng = random.Random(seed)
    zone = workspace_zone()
    today = today or timezone.localdate(timezone=zone)
    start = today - timedelta(weeks=WEEKS)
    with transaction.atomic():
        sites = _sites()
        if not sites:
            return {"skipped": True, "classes": 0}
        # Holidays first, so that sessions on them are generated cancelled (no emails to send).
        country = getattr(connection.tenant, "country", "") or "CO"
        for site in set(sites):
            for year in sorted({start.year, today.year, (today + timedelta(weeks=WEEKS)).year}):
                holidays_load(site=site, year=year, country=country, user=owner)
        rooms = [room_create(site=sites[i], name=name, capacity=cap, user=owner) for i, name, cap in ROOMS]
        types = [
            class_type_create(
                style=style,
                level=level,
                min_age=ages[0],
                max_age=ages[1],
                default_duration_minutes=minutes,
                colour=colour,
            )
            for style, level, ages, minutes, colour in TYPES
        ]
        teacher_user = User.objects.filter(email=TEACHER_LOGIN).first() or user_create(
            email=TEACHER_LOGIN, password=teacher_password, full_name=TEACHERS[0], role=User.Role.TEACHER
        )
        teachers = [
            teacher_create(
                full_name=name,
                email=TEACHER_LOGIN if index == 0 else f"profe{index + 1}@demo-academy.example.com",
                user_account=teacher_user if index == 0 else None,
                user=owner,
            )
            for index, name in enumerate(TEACHERS)
        ]
        classes = []
        for item in CLASSES:
            kind = types[item.type_index]
            classes.append(
                class_create(
                    data=ClassInput(
                        class_type=kind,
                        name=item.name,
                        room=rooms[item.room_index],
                        teacher=teachers[item.teacher_index],
                        weekdays=list(item.weekdays),
                        start_time=item.start,
                        duration_minutes=kind.default_duration_minutes,
                        capacity=item.capacity,
                        start_date=start,
                        term=f"{today.year}",
                    ),
                    user=owner,
                )
            )
        # The 12 weeks behind (class_create made the 12 ahead).
        for academy_class in classes:
            sessions_generate(academy_class=academy_class, today=start, weeks=WEEKS * 2)

        people = customers_demo_seed()
        adults = list(people.adults)
        rng.shuffle(adults)
        minors = list(people.minors)
        rng.shuffle(minors)
        enrolled_at = timezone.now() - timedelta(weeks=WEEKS)
        for academy_class, item in zip(classes, CLASSES, strict=True):
            pool = minors if TYPES[item.type_index][2][1] is not None else adults
            wanted = round(item.capacity * item.fill)
            chosen, pool[:] = pool[:wanted], pool[wanted:] + pool[:wanted]  # rotate: some take two classes
            for student in chosen:
                try:
                    enrolment_create(academy_class=academy_class, student=student, user=owner)
                except PlanLimitReached:
                    break  # the plan allows fewer active students: the demo stops there
        Enrolment.objects.filter(status=Enrolment.Status.ACTIVE).update(enrolled_at=enrolled_at)
        Enrolment.objects.filter(status=Enrolment.Status.WAITLISTED).update(
            waitlisted_at=timezone.now() - timedelta(days=rng.randint(2, 9))
        )
        attendance = _attendance_history(rng=rng, owner=owner)
    return {
        "skipped": False,
        "sites": len(set(sites)),
        "rooms": Room.objects.count(),
        "teachers": len(teachers),
        "teacher_login": TEACHER_LOGIN,
        "classes": len(classes),
        "students": len(people.adults) + len(people.minors),
        "sessions": Session.objects.count(),
        "holidays": Holiday.objects.count(),
        "attendance": attendance,
        "waitlisted": Enrolment.objects.filter(status=Enrolment.Status.WAITLISTED).count(),
    }


def _attendance_history(*, rng: random.Random, owner) -> int:
    """Rosters of the sessions already over: most come, some miss, a few arrive late, and about
    one student in fifteen stopped coming three weeks ago (the academy home's "at risk").

    Written in bulk: it is history being loaded, not teachers marking rosters one by one."""
    now = timezone.now()
    drifting_since = now - timedelta(days=21)
    enrolled: dict[int, list[int]] = {}
    for class_id, student_id in Enrolment.objects.filter(status=Enrolment.Status.ACTIVE).values_list(
        "academy_class_id", "student_id"
    ):
        enrolled.setdefault(class_id, []).append(student_id)
    students = sorted({s for ids in enrolled.values() for s in ids})
    reliability = {student: rng.uniform(0.6, 0.95) for student in students}
    drifting = set(rng.sample(students, k=max(1, len(students) // 15)))
    rows = []
    for session in Session.objects.filter(status=Session.Status.SCHEDULED, ends_at__lt=now).order_by(
        "starts_at"
    ):
        for student in enrolled.get(session.academy_class_id, []):
            if student in drifting and session.starts_at >= drifting_since:
                status = Attendance.Status.ABSENT
            elif rng.random() < reliability[student]:
                status = Attendance.Status.LATE if rng.random() < 0.07 else Attendance.Status.PRESENT
            else:
                status = Attendance.Status.ABSENT
            source = Attendance.Source.QR if rng.random() < 0.6 else Attendance.Source.ROSTER
            if status == Attendance.Status.ABSENT:
                source = Attendance.Source.ROSTER
            rows.append(
                Attendance(
                    session=session, student_id=student, status=status, source=source, recorded_by=owner
                )
            )
    Attendance.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return len(rows)
