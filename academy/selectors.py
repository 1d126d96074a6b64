"""Reads of the academy, scoped by permission: one error (AcademyNotFound) for missing and
forbidden. A teacher sees the timetable but takes attendance only in their own sessions."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from academy.exceptions import AcademyNotFound
from academy.models import AcademyClass, Attendance, Booking, ClassType, Enrolment, Room, Session, Teacher
from academy.services.common import workspace_zone
from accounts.models import User
from accounts.permissions import Perm, has_perm
from customers.models import Customer
from inventory.models import Location

AT_RISK_DAYS = 14


def _as_id(value) -> int | None:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


def _require(user, perm: Perm) -> None:
    if not has_perm(user, perm):
        raise AcademyNotFound()


# --- Setup -------------------------------------------------------------------------------------


def site_list() -> QuerySet:
    """The academy's sites: active locations of kind branch."""
    return Location.objects.filter(kind=Location.Kind.BRANCH, is_active=True).order_by("name")


def site_get(*, site_id, user) -> Location:
    site_pk = _as_id(site_id)
    if site_pk is None or not (has_perm(user, Perm.VIEW_TIMETABLE) or has_perm(user, Perm.CHECK_IN)):
        raise AcademyNotFound()
    site = site_list().filter(pk=site_pk).first()
    if site is None:
        raise AcademyNotFound()
    return site


def room_list(*, site: Location | None = None) -> QuerySet:
    rows = Room.objects.filter(is_active=True).select_related("site")
    return rows.filter(site=site) if site else rows


def room_get(*, room_id, user) -> Room:
    _require(user, Perm.VIEW_TIMETABLE)
    room = room_list().filter(pk=_as_id(room_id) or 0).first()
    if room is None:
        raise AcademyNotFound()
    return room


def class_type_list() -> QuerySet:
    return ClassType.objects.annotate(class_count=Count("classes")).order_by("style", "level")


def teacher_list() -> QuerySet:
    return Teacher.objects.filter(is_active=True).select_related("user")


def teacher_get(*, teacher_id, user) -> Teacher:
    _require(user, Perm.VIEW_TIMETABLE)
    teacher = teacher_list().filter(pk=_as_id(teacher_id) or 0).first()
    if teacher is None:
        raise AcademyNotFound()
    return teacher


def teacher_of(user) -> Teacher | None:
    """The teacher record of a signed-in user (role TEACHER), if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Teacher.objects.filter(user=user, is_active=True).first()


# --- Classes and sessions ----------------------------------------------------------------------


def class_list(*, user, site: Location | None = None, teacher: Teacher | None = None) -> QuerySet:
    if not has_perm(user, Perm.VIEW_TIMETABLE):
        return AcademyClass.objects.none()
    rows = (
        AcademyClass.objects.filter(is_active=True)
        .select_related("class_type", "room__site", "teacher")
        .annotate(
            enrolled=Count("enrolments", filter=Q(enrolments__status=Enrolment.Status.ACTIVE)),
            waiting=Count("enrolments", filter=Q(enrolments__status=Enrolment.Status.WAITLISTED)),
        )
    )
    if site is not None:
        rows = rows.filter(room__site=site)
    if teacher is not None:
        rows = rows.filter(teacher=teacher)
    return rows.order_by("room__site__name", "name")


def class_get(*, class_id, user) -> AcademyClass:
    class_pk = _as_id(class_id)
    if class_pk is None:
        raise AcademyNotFound()
    found = class_list(user=user).filter(pk=class_pk).first()
    if found is None:
        raise AcademyNotFound()
    return found


def class_enrolments(*, academy_class: AcademyClass) -> dict:
    """{"active": [...], "waitlisted": [... in order]} with the students."""
    rows = Enrolment.objects.filter(academy_class=academy_class).exclude(status=Enrolment.Status.DROPPED)
    rows = rows.select_related("student").order_by("waitlisted_at", "enrolled_at", "id")
    result = {"active": [], "waitlisted": []}
    for enrolment in rows:
        result[enrolment.status].append(enrolment)
    return result


def enrolment_get(*, enrolment_id, user) -> Enrolment:
    _require(user, Perm.MANAGE_ENROLMENTS)
    found = (
        Enrolment.objects.select_related("student", "academy_class")
        .filter(pk=_as_id(enrolment_id) or 0)
        .first()
    )
    if found is None:
        raise AcademyNotFound()
    return found


def _sessions() -> QuerySet:
    return Session.objects.select_related("academy_class__class_type", "room__site", "teacher")


def session_get(*, session_id, user) -> Session:
    session_pk = _as_id(session_id)
    if session_pk is None or not has_perm(user, Perm.VIEW_TIMETABLE):
        raise AcademyNotFound()
    session = _sessions().filter(pk=session_pk).first()
    if session is None:
        raise AcademyNotFound()
    return session


def session_get_for_attendance(*, session_id, user) -> Session:
    """A session whose roster ``user`` may mark: a teacher only their own (or the one they
    substitute in)."""
    session = session_get(session_id=session_id, user=user)
    if not has_perm(user, Perm.TAKE_ATTENDANCE):
        raise AcademyNotFound()
    if user.role == User.Role.TEACHER and session.teacher.user_id != user.pk:
        raise AcademyNotFound()
    return session


def week_start_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_sessions(
    *,
    user,
    week_start: date,
    site: Location | None = None,
    room: Room | None = None,
    teacher: Teacher | None = None,
) -> QuerySet:
    if not has_perm(user, Perm.VIEW_TIMETABLE):
        return Session.objects.none()
    zone = workspace_zone()
    start = datetime.combine(week_start, time.min, tzinfo=zone)
    rows = _sessions().filter(starts_at__gte=start, starts_at__lt=start + timedelta(days=7))
    if site is not None:
        rows = rows.filter(room__site=site)
    if room is not None:
        rows = rows.filter(room=room)
    if teacher is not None:
        rows = rows.filter(teacher=teacher)
    return rows.annotate(**_session_counts()).order_by("starts_at")


def _session_counts() -> dict:
    enrolled = (
        Enrolment.objects.filter(
            academy_class_id=OuterRef("academy_class_id"), status=Enrolment.Status.ACTIVE
        )
        .values("academy_class_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return {
        "enrolled_count": Coalesce(Subquery(enrolled, output_field=IntegerField()), 0),
        "booked_count": Count("bookings", filter=Q(bookings__cancelled_at__isnull=True), distinct=True),
        "checked_in_count": Count(
            "attendances",
            filter=Q(attendances__status__in=[Attendance.Status.PRESENT, Attendance.Status.LATE]),
            distinct=True,
        ),
    }


@dataclass
class RosterRow:
    student: Customer
    kind: str  # enrolled, drop_in, trial, walk_in
    attendance: Attendance | None


def session_roster(*, session: Session) -> list[RosterRow]:
    """Who is expected (enrolled, drop-ins, trials) and who came anyway (walk-ins), by name."""
    marks = {a.student_id: a for a in Attendance.objects.filter(session=session).select_related("student")}
    rows: dict[int, RosterRow] = {}
    for enrolment in Enrolment.objects.filter(
        academy_class_id=session.academy_class_id, status=Enrolment.Status.ACTIVE
    ).select_related("student"):
        rows[enrolment.student_id] = RosterRow(enrolment.student, "enrolled", marks.get(enrolment.student_id))
    for booking in Booking.objects.filter(session=session, cancelled_at__isnull=True).select_related(
        "student"
    ):
        rows.setdefault(
            booking.student_id, RosterRow(booking.student, booking.kind, marks.get(booking.student_id))
        )
    for student_id, mark in marks.items():
        rows.setdefault(student_id, RosterRow(mark.student, "walk_in", mark))
    return sorted(rows.values(), key=lambda row: row.student.full_name.lower())


def student_search(*, user, text: str, limit: int = 10) -> list[Customer]:
    """Students by name or document for a roster's walk-in box (teachers included: names only)."""
    if not has_perm(user, Perm.TAKE_ATTENDANCE) or len((text or "").strip()) < 2:
        return []
    return list(Customer.objects.active().search(text).order_by("full_name")[:limit])


def student_get(*, student_id, user) -> Customer:
    """A student for the academy screens (QR card, history): front desk and managers."""
    if not (has_perm(user, Perm.CHECK_IN) or has_perm(user, Perm.MANAGE_ENROLMENTS)):
        raise AcademyNotFound()
    student = Customer.objects.filter(pk=_as_id(student_id) or 0).select_related("guardian").first()
    if student is None:
        raise AcademyNotFound()
    return student


def student_attendance_history(*, student: Customer, limit: int = 50) -> QuerySet:
    return (
        Attendance.objects.filter(student=student)
        .select_related("session__academy_class", "session__room__site")
        .order_by("-session__starts_at")[:limit]
    )


# --- Academy home ------------------------------------------------------------------------------


@dataclass
class SiteDay:
    site: Location
    sessions: list = field(default_factory=list)


@dataclass
class AcademyHome:
    today: date
    sites: list[SiteDay]
    week_capacity: int
    week_taken: int
    at_risk: list[Customer]
    waitlists: list[AcademyClass]

    @property
    def week_occupancy(self) -> int | None:
        """Percent of the week's places taken (None without sessions)."""
        return round(100 * self.week_taken / self.week_capacity) if self.week_capacity else None


def academy_home(*, user, today: date | None = None) -> AcademyHome:
    zone = workspace_zone()
    today = today or timezone.localdate(timezone=zone)
    start = datetime.combine(today, time.min, tzinfo=zone)
    todays = list(
        _sessions()
        .filter(starts_at__gte=start, starts_at__lt=start + timedelta(days=1))
        .annotate(**_session_counts())
        .order_by("starts_at")
    )
    by_site: dict[int, SiteDay] = {site.pk: SiteDay(site) for site in site_list()}
    for session in todays:
        by_site.setdefault(session.room.site_id, SiteDay(session.room.site)).sessions.append(session)
    week = list(
        week_sessions(user=user, week_start=week_start_of(today)).filter(status=Session.Status.SCHEDULED)
    )
    week_capacity = sum(s.academy_class.capacity for s in week)
    week_taken = sum(min(s.enrolled_count + s.booked_count, s.academy_class.capacity) for s in week)
    since = timezone.now() - timedelta(days=AT_RISK_DAYS)
    came_lately = Attendance.objects.filter(
        student=OuterRef("pk"),
        status__in=[Attendance.Status.PRESENT, Attendance.Status.LATE],
        session__starts_at__gte=since,
    )
    at_risk = list(
        Customer.objects.active()
        .filter(enrolments__status=Enrolment.Status.ACTIVE, enrolments__enrolled_at__lt=since)
        .exclude(Exists(came_lately))
        .distinct()
        .order_by("full_name")[:25]
    )
    waitlists = [c for c in class_list(user=user) if c.waiting]
    return AcademyHome(today, list(by_site.values()), week_capacity, week_taken, at_risk, waitlists)
