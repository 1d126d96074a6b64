"""Academy setup and the timetable: rooms, class types, teachers, weekly classes, the sessions
generated from them, single-session changes and holidays."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import holidays as holiday_calendars
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from academy.exceptions import InvalidSchedule, ScheduleConflict
from academy.models import AcademyClass, ClassType, Holiday, Room, Session, Teacher
from academy.services.common import local_datetime, time_text, weekday_name, workspace_zone
from academy.usage import teacher_count
from audit.services import audit_record
from inventory.models import Location
from tenants.limits import workspace_limit_check

HORIZON_WEEKS = 12


def _audit(action, *, user, request=None, target="", data=None):
    audit_record(action=action, actor=user, request=request, target=target, data=data or {})


# --- Setup -------------------------------------------------------------------------------------


def room_create(*, site: Location, name: str, capacity: int, user=None, request=None) -> Room:
    if site.kind != Location.Kind.BRANCH:
        raise ValidationError({"site": _("Rooms belong to a site (a location of kind branch).")})
    with transaction.atomic():
        room = Room.objects.create(site=site, name=name.strip(), capacity=capacity)
        _audit(
            "academy.room_created", user=user, request=request, target=str(room), data={"room_id": room.pk}
        )
    return room


def class_type_create(
    *,
    style: str,
    level: str = "",
    min_age: int | None = None,
    max_age: int | None = None,
    default_duration_minutes: int = 60,
    colour: str = "#2563eb",
    user=None,
    request=None,
) -> ClassType:
    if min_age is not None and max_age is not None and min_age > max_age:
        raise ValidationError({"max_age": _("The maximum age must not be below the minimum age.")})
    with transaction.atomic():
        class_type = ClassType.objects.create(
            style=style.strip(),
            level=level.strip(),
            min_age=min_age,
            max_age=max_age,
            default_duration_minutes=default_duration_minutes,
            colour=colour.lower(),
        )
        _audit("academy.class_type_created", user=user, request=request, target=str(class_type))
    return class_type


def teacher_create(
    *, full_name: str, email: str = "", phone: str = "", user_account=None, user=None, request=None
):
    """A teacher record; ``user_account`` links a workspace user (role TEACHER) who signs in.
    Counted against the plan's teachers."""
    with transaction.atomic():
        # Serialise teacher creation so two at once cannot both take the plan's last place.
        connection.cursor().execute("SELECT pg_advisory_xact_lock(hashtext('academy.teacher_create'))")
        workspace_limit_check(resource="teachers", current=teacher_count())
        teacher = Teacher.objects.create(
            full_name=full_name.strip(), email=email.strip().lower(), phone=phone.strip(), user=user_account
        )
        _audit("academy.teacher_created", user=user, request=request, target=teacher.full_name)
    return teacher


# --- Classes and conflicts ---------------------------------------------------------------------


@dataclass(frozen=True)
class ClassInput:
    class_type: ClassType
    name: str
    room: Room
    teacher: Teacher
    weekdays: list[int]
    start_time: time
    duration_minutes: int
    capacity: int
    start_date: date
    end_date: date | None = None
    term: str = ""


def _minutes(at: time) -> int:
    return at.hour * 60 + at.minute


def _class_clashes(data: ClassInput, *, exclude_id: int | None = None) -> list[str]:
    """What the new weekly slot would collide with: same room or teacher, a shared weekday,
    overlapping dates and overlapping hours."""
    others = AcademyClass.objects.filter(is_active=True, weekdays__overlap=data.weekdays).filter(
        Q(room=data.room) | Q(teacher=data.teacher)
    )
    others = others.filter(Q(end_date__isnull=True) | Q(end_date__gte=data.start_date))
    if data.end_date is not None:
        others = others.filter(start_date__lte=data.end_date)
    if exclude_id is not None:
        others = others.exclude(pk=exclude_id)
    start = _minutes(data.start_time)
    end = start + data.duration_minutes
    clashes = []
    for other in others.select_related("room", "teacher"):
        other_start = _minutes(other.start_time)
        other_end = other_start + other.duration_minutes
        if not (other_start < end and start < other_end):
            continue
        day = weekday_name(sorted(set(other.weekdays) & set(data.weekdays))[0])
        hours = f"{time_text(other.start_time)}–{other_end // 60:02d}:{other_end % 60:02d}"
        if other.room_id == data.room.pk:
            clashes.append(
                _("Room %(room)s is taken on %(day)s %(hours)s by %(class)s.")
                % {"room": data.room.name, "day": day, "hours": hours, "class": other.name}
            )
        if other.teacher_id == data.teacher.pk:
            clashes.append(
                _("%(teacher)s already teaches %(class)s on %(day)s %(hours)s.")
                % {"teacher": data.teacher.full_name, "class": other.name, "day": day, "hours": hours}
            )
    return clashes


def class_create(*, data: ClassInput, user=None, request=None) -> AcademyClass:
    """A weekly class; refused when its room or teacher is taken at that time (the clash is named).
    Its sessions for the next 12 weeks are generated at once."""
    weekdays = sorted(set(data.weekdays))
    if not weekdays or any(day not in range(7) for day in weekdays):
        raise InvalidSchedule(_("Choose at least one day of the week."))
    if data.end_date is not None and data.end_date < data.start_date:
        raise InvalidSchedule(_("The end date must not be before the start date."))
    if data.capacity < 1 or data.duration_minutes < 1:
        raise InvalidSchedule(_("Capacity and duration must be positive."))
    if data.capacity > data.room.capacity:
        raise InvalidSchedule(
            _("%(room)s holds %(capacity)s people.")
            % {"room": data.room.name, "capacity": data.room.capacity}
        )
    if _minutes(data.start_time) + data.duration_minutes > 24 * 60:
        raise InvalidSchedule(_("A class must end on the day it starts."))
    with transaction.atomic():
        # Classes of one room or teacher are created one at a time, so two clashing classes
        # cannot both pass the check.
        Room.objects.select_for_update().filter(pk=data.room.pk).first()
        Teacher.objects.select_for_update().filter(pk=data.teacher.pk).first()
        clashes = _class_clashes(ClassInput(**{**data.__dict__, "weekdays": weekdays}))
        if clashes:
            raise ScheduleConflict(" ".join(clashes))
        academy_class = AcademyClass.objects.create(
            class_type=data.class_type,
            name=data.name.strip(),
            room=data.room,
            teacher=data.teacher,
            weekdays=weekdays,
            start_time=data.start_time,
            duration_minutes=data.duration_minutes,
            capacity=data.capacity,
            start_date=data.start_date,
            end_date=data.end_date,
            term=data.term.strip(),
        )
        sessions_generate(academy_class=academy_class)
        _audit(
            "academy.class_created",
            user=user,
            request=request,
            target=academy_class.name,
            data={"class_id": academy_class.pk},
        )
    return academy_class


# --- Sessions ----------------------------------------------------------------------------------


def sessions_generate(
    *, academy_class: AcademyClass | None = None, today: date | None = None, weeks: int = HORIZON_WEEKS
) -> int:
    """Create the sessions of the next ``weeks`` weeks for one class or every active class.

    Safe to run twice (one session per class and slot date); sessions that fall on a holiday of
    their site are created cancelled. Returns how many were created.
    """
    today = today or timezone.localdate(timezone=workspace_zone())
    horizon = today + timedelta(weeks=weeks)
    classes = AcademyClass.objects.filter(is_active=True).select_related("room")
    if academy_class is not None:
        classes = classes.filter(pk=academy_class.pk)
    holidays = {
        (h.site_id, h.date): h.name for h in Holiday.objects.filter(date__gte=today, date__lte=horizon)
    }
    new = []
    for item in classes:
        first = max(item.start_date, today)
        last = min(item.end_date or horizon, horizon)
        day = first
        while day <= last:
            if day.weekday() in item.weekdays:
                starts_at = local_datetime(day, item.start_time)
                holiday = holidays.get((item.room.site_id, day))
                new.append(
                    Session(
                        academy_class=item,
                        slot_date=day,
                        starts_at=starts_at,
                        ends_at=starts_at + timedelta(minutes=item.duration_minutes),
                        room_id=item.room_id,
                        teacher_id=item.teacher_id,
                        status=Session.Status.CANCELLED if holiday else Session.Status.SCHEDULED,
                        note=holiday or "",
                    )
                )
            day += timedelta(days=1)
    with transaction.atomic():
        before = Session.objects.count()
        Session.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
        return Session.objects.count() - before


def _session_clashes(
    *, session: Session, starts_at: datetime, ends_at: datetime, room: Room, teacher: Teacher
):
    overlapping = (
        Session.objects.filter(status=Session.Status.SCHEDULED, starts_at__lt=ends_at, ends_at__gt=starts_at)
        .filter(Q(room=room) | Q(teacher=teacher))
        .exclude(pk=session.pk)
        .select_related("academy_class", "room", "teacher")
    )
    zone = workspace_zone()
    clashes = []
    for other in overlapping:
        when = f"{timezone.localtime(other.starts_at, zone):%d/%m %H:%M}"
        if other.room_id == room.pk:
            clashes.append(
                _("Room %(room)s is taken at %(when)s by %(class)s.")
                % {"room": room.name, "when": when, "class": other.academy_class.name}
            )
        if other.teacher_id == teacher.pk:
            clashes.append(
                _("%(teacher)s already teaches %(class)s at %(when)s.")
                % {"teacher": teacher.full_name, "class": other.academy_class.name, "when": when}
            )
    return clashes


def session_cancel(*, session: Session, reason: str = "", user=None, request=None) -> Session:
    """Cancel one session (the others stay); the enrolled hear by email after the commit."""
    from academy.tasks import session_cancelled_notify  # noqa: PLC0415  (tasks import the services)

    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        if session.status == Session.Status.CANCELLED:
            return session
        session.status = Session.Status.CANCELLED
        session.note = reason.strip()[:200]
        session.save(update_fields=["status", "note", "updated_at"])
        _audit("academy.session_cancelled", user=user, request=request, target=str(session))
        session_id = session.pk
        transaction.on_commit(lambda: session_cancelled_notify.delay(session_id))
    return session


def session_reschedule(
    *,
    session: Session,
    starts_at: datetime | None = None,
    room: Room | None = None,
    teacher: Teacher | None = None,
    user=None,
    request=None,
) -> Session:
    """Move one session (another time or room) or give it a substitute teacher; refused, naming
    the clash, when the room or teacher is taken."""
    with transaction.atomic():
        session = Session.objects.select_for_update().select_related("room", "teacher").get(pk=session.pk)
        if session.status != Session.Status.SCHEDULED:
            raise InvalidSchedule(_("A cancelled session cannot be changed."))
        length = session.ends_at - session.starts_at
        new_start = starts_at or session.starts_at
        new_room = room or session.room
        new_teacher = teacher or session.teacher
        Room.objects.select_for_update().filter(pk=new_room.pk).first()
        Teacher.objects.select_for_update().filter(pk=new_teacher.pk).first()
        clashes = _session_clashes(
            session=session,
            starts_at=new_start,
            ends_at=new_start + length,
            room=new_room,
            teacher=new_teacher,
        )
        if clashes:
            raise ScheduleConflict(" ".join(clashes))
        changes = {
            "from": [session.starts_at.isoformat(), session.room_id, session.teacher_id],
            "to": [new_start.isoformat(), new_room.pk, new_teacher.pk],
        }
        session.starts_at, session.ends_at = new_start, new_start + length
        session.room, session.teacher = new_room, new_teacher
        session.save(update_fields=["starts_at", "ends_at", "room", "teacher", "updated_at"])
        _audit("academy.session_changed", user=user, request=request, target=str(session), data=changes)
    return session


# --- Holidays ----------------------------------------------------------------------------------


def holiday_create(*, site: Location, day: date, name: str, user=None, request=None) -> Holiday:
    """A holiday at ``site``: its sessions that day are cancelled, with notice to the enrolled."""
    with transaction.atomic():
        holiday, _created = Holiday.objects.get_or_create(site=site, date=day, defaults={"name": name})
        zone = workspace_zone()
        start = datetime.combine(day, time.min, tzinfo=zone)
        for session in Session.objects.filter(
            room__site=site,
            status=Session.Status.SCHEDULED,
            starts_at__gte=start,
            starts_at__lt=start + timedelta(days=1),
        ):
            session_cancel(session=session, reason=holiday.name, user=user, request=request)
    return holiday


def holidays_load(*, site: Location, year: int, country: str | None = None, user=None, request=None) -> int:
    """Load the public holidays of ``country`` (default: the workspace's) for ``year`` at ``site``
    from the `holidays` package, in Spanish. Returns how many were new."""
    country = country or getattr(connection.tenant, "country", "") or "CO"
    calendar = holiday_calendars.country_holidays(country, years=year, language="es")
    created = 0
    with transaction.atomic():
        for day, name in sorted(calendar.items()):
            if not Holiday.objects.filter(site=site, date=day).exists():
                holiday_create(site=site, day=day, name=name, user=user, request=request)
                created += 1
    return created
