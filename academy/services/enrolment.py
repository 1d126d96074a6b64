"""Enrolment: a student in a class for a term, a waitlist in order when full, automatic promotion
when a place frees, drop-ins of one session and one free trial per student.

Capacity holds under concurrency: every write that takes a place locks the class row first
(select_for_update), so places are counted and taken one booking at a time.
"""

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from academy.exceptions import AlreadyEnrolled, ClassFull, InvalidMakeup, SessionNotOpen, TrialAlreadyUsed
from academy.models import AcademyClass, Attendance, Booking, Enrolment, Session
from academy.usage import active_student_count
from audit.services import audit_record
from customers.models import Customer
from tenants.limits import workspace_limit_check


def _lock_class(class_id: int) -> AcademyClass:
    return AcademyClass.objects.select_for_update().get(pk=class_id)


def class_places_taken(*, academy_class: AcademyClass) -> int:
    return Enrolment.objects.filter(academy_class=academy_class, status=Enrolment.Status.ACTIVE).count()


def enrolment_create(
    *, academy_class: AcademyClass, student: Customer, waitlist: bool = True, user=None, request=None
) -> Enrolment:
    """Enrol ``student`` for the class's term; when the class is full, put them at the end of the
    waitlist (or refuse with ClassFull when ``waitlist`` is False)."""
    with transaction.atomic():
        locked = _lock_class(academy_class.pk)
        if (
            Enrolment.objects.filter(academy_class=locked, student=student)
            .exclude(status=Enrolment.Status.DROPPED)
            .exists()
        ):
            raise AlreadyEnrolled(
                _("%(student)s is already enrolled or waiting in %(class)s.")
                % {"student": student.full_name, "class": locked.name}
            )
        now = timezone.now()
        has_place = class_places_taken(academy_class=locked) < locked.capacity
        if (
            has_place
            and not Enrolment.objects.filter(student=student, status=Enrolment.Status.ACTIVE).exists()
        ):
            # A new active student counts against the plan (one lock so two cannot pass at once).
            connection.cursor().execute("SELECT pg_advisory_xact_lock(hashtext('academy.active_students'))")
            workspace_limit_check(resource="active_students", current=active_student_count())
        if has_place:
            enrolment = Enrolment.objects.create(
                academy_class=locked, student=student, status=Enrolment.Status.ACTIVE, enrolled_at=now
            )
        elif waitlist:
            enrolment = Enrolment.objects.create(
                academy_class=locked, student=student, status=Enrolment.Status.WAITLISTED, waitlisted_at=now
            )
        else:
            raise ClassFull(_("%(class)s is full.") % {"class": locked.name})
        audit_record(
            action=f"academy.enrolment_{enrolment.status}",
            actor=user,
            request=request,
            target=f"{student.full_name} → {locked.name}",
            data={"enrolment_id": enrolment.pk},
        )
    return enrolment


def enrolment_drop(*, enrolment: Enrolment, user=None, request=None) -> Enrolment:
    """Take a student out of a class (or its waitlist). A freed place goes to the first on the
    waitlist, who is told by email after the commit."""
    from academy.tasks import enrolment_promoted_notify  # noqa: PLC0415  (tasks import the services)

    with transaction.atomic():
        locked = _lock_class(enrolment.academy_class_id)
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if enrolment.status == Enrolment.Status.DROPPED:
            return enrolment
        freed = enrolment.status == Enrolment.Status.ACTIVE
        enrolment.status = Enrolment.Status.DROPPED
        enrolment.dropped_at = timezone.now()
        enrolment.save(update_fields=["status", "dropped_at", "updated_at"])
        audit_record(
            action="academy.enrolment_dropped",
            actor=user,
            request=request,
            target=f"{enrolment.student} → {locked.name}",
            data={"enrolment_id": enrolment.pk},
        )
        if freed:
            for promoted in _promote_waitlist(locked):
                promoted_id = promoted.pk
                transaction.on_commit(
                    lambda promoted_id=promoted_id: enrolment_promoted_notify.delay(promoted_id)
                )
    return enrolment


def _promote_waitlist(locked: AcademyClass) -> list[Enrolment]:
    """Fill free places from the waitlist in order (the class row is locked by the caller)."""
    free = locked.capacity - class_places_taken(academy_class=locked)
    if free <= 0:
        return []
    waiting = list(
        Enrolment.objects.filter(academy_class=locked, status=Enrolment.Status.WAITLISTED).order_by(
            "waitlisted_at", "id"
        )[:free]
    )
    now = timezone.now()
    for enrolment in waiting:
        enrolment.status = Enrolment.Status.ACTIVE
        enrolment.enrolled_at = now
        enrolment.save(update_fields=["status", "enrolled_at", "updated_at"])
        audit_record(
            action="academy.enrolment_promoted",
            target=f"{enrolment.student} → {locked.name}",
            data={"enrolment_id": enrolment.pk},
        )
    return waiting


def session_places_taken(*, session: Session) -> int:
    enrolled = Enrolment.objects.filter(
        academy_class_id=session.academy_class_id, status=Enrolment.Status.ACTIVE
    ).count()
    booked = Booking.objects.filter(session=session, cancelled_at__isnull=True).count()
    return enrolled + booked


def _check_makeup(*, session: Session, student: Customer, missed: Session | None) -> None:
    """A makeup replaces a session of the student's own class that they missed (absent, or a
    session that was cancelled) with a session of another class of the same type, once."""
    if missed is None:
        raise InvalidMakeup(_("Choose the missed session this class makes up for."))
    missed = Session.objects.select_related("academy_class").get(pk=missed.pk)
    own = Enrolment.objects.filter(
        academy_class_id=missed.academy_class_id, student=student, status=Enrolment.Status.ACTIVE
    ).exists()
    came = Attendance.objects.filter(
        session=missed, student=student, status__in=[Attendance.Status.PRESENT, Attendance.Status.LATE]
    ).exists()
    was_missed = missed.status == Session.Status.CANCELLED or (
        missed.starts_at <= timezone.now() and not came
    )
    if not own or not was_missed:
        raise InvalidMakeup(_("A makeup replaces a session of the student's own class that they missed."))
    if missed.academy_class.class_type_id != session.academy_class.class_type_id:
        raise InvalidMakeup(_("A makeup must be in a class of the same type."))
    if Booking.objects.filter(student=student, makeup_for=missed, cancelled_at__isnull=True).exists():
        raise InvalidMakeup(_("That missed session was already made up."))


def booking_create(
    *,
    session: Session,
    student: Customer,
    kind: str,
    makeup_for: Session | None = None,
    user=None,
    request=None,
) -> Booking:
    """One session for a student not enrolled in the class: a drop-in, their one free trial, or
    a makeup of a missed session of their own class (same class type). Refused when the session
    is full, cancelled or over."""
    with transaction.atomic():
        _lock_class(session.academy_class_id)
        session = Session.objects.select_related("academy_class").get(pk=session.pk)
        if session.status != Session.Status.SCHEDULED or session.ends_at <= timezone.now():
            raise SessionNotOpen(_("This session takes no bookings."))
        if (
            Enrolment.objects.filter(
                academy_class_id=session.academy_class_id, student=student, status=Enrolment.Status.ACTIVE
            ).exists()
            or Booking.objects.filter(session=session, student=student, cancelled_at__isnull=True).exists()
        ):
            raise AlreadyEnrolled(
                _("%(student)s already has a place in this session.") % {"student": student.full_name}
            )
        if (
            kind == Booking.Kind.TRIAL
            and Booking.objects.filter(
                student=student, kind=Booking.Kind.TRIAL, cancelled_at__isnull=True
            ).exists()
        ):
            raise TrialAlreadyUsed(
                _("%(student)s already had their free trial class.") % {"student": student.full_name}
            )
        if kind == Booking.Kind.MAKEUP:
            _check_makeup(session=session, student=student, missed=makeup_for)
        else:
            makeup_for = None
        if session_places_taken(session=session) >= session.academy_class.capacity:
            raise ClassFull(_("%(class)s is full.") % {"class": session.academy_class.name})
        try:
            with transaction.atomic():
                booking = Booking.objects.create(
                    session=session, student=student, kind=kind, makeup_for=makeup_for
                )
        except IntegrityError as error:  # the same trial or makeup booked twice at once
            if kind != Booking.Kind.TRIAL:
                raise InvalidMakeup(_("That missed session was already made up.")) from error
            raise TrialAlreadyUsed(
                _("%(student)s already had their free trial class.") % {"student": student.full_name}
            ) from error
        audit_record(
            action=f"academy.booking_{kind}",
            actor=user,
            request=request,
            target=f"{student.full_name} → {session}",
            data={"booking_id": booking.pk},
        )
    return booking
