"""Attendance: the teacher's roster, and the front desk's QR check-in with the students' passes.

A student's QR carries a signed pair (pass id, nonce) and nothing personal. The signature's salt
names the workspace's schema, so another workspace's QR fails the signature; rotating the nonce
or revoking the pass makes every earlier QR worthless.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core import signing
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from academy.admission import AdmissionRefused, admission_policy
from academy.models import Attendance, Session, StudentPass, new_nonce
from academy.services.common import workspace_zone
from audit.services import audit_record
from customers.models import Customer
from inventory.models import Location

# A student may check in from 30 minutes before the class until it ends; after 10 minutes, late.
EARLY_WINDOW = timedelta(minutes=30)
LATE_AFTER = timedelta(minutes=10)


def _salt() -> str:
    return f"academy.pass:{connection.schema_name}"


# --- Passes (QR) -------------------------------------------------------------------------------


def student_pass_get_or_create(*, student: Customer) -> StudentPass:
    with transaction.atomic():
        student_pass, _created = StudentPass.objects.get_or_create(student=student)
    return student_pass


def student_pass_token(*, student_pass: StudentPass) -> str:
    """The text inside the student's QR (no personal data: ids and a random nonce, signed)."""
    return signing.dumps([student_pass.pk, student_pass.token_nonce], salt=_salt(), compress=True)


def student_pass_rotate(*, student: Customer, user=None, request=None) -> StudentPass:
    """A new QR for the student (a lost card): every earlier QR stops working. Also un-revokes."""
    with transaction.atomic():
        student_pass, _created = StudentPass.objects.select_for_update().get_or_create(student=student)
        student_pass.token_nonce = new_nonce()
        student_pass.revoked_at = None
        student_pass.save(update_fields=["token_nonce", "revoked_at", "updated_at"])
        audit_record(action="academy.pass_rotated", actor=user, request=request, target=student.full_name)
    return student_pass


def student_pass_revoke(*, student: Customer, user=None, request=None) -> StudentPass:
    with transaction.atomic():
        student_pass, _created = StudentPass.objects.select_for_update().get_or_create(student=student)
        student_pass.revoked_at = timezone.now()
        student_pass.save(update_fields=["revoked_at", "updated_at"])
        audit_record(action="academy.pass_revoked", actor=user, request=request, target=student.full_name)
    return student_pass


def student_pass_send(*, student: Customer, user=None, request=None) -> StudentPass:
    """Email the student (or their guardian) the link to their QR page, after the commit."""
    from academy.tasks import student_pass_email  # noqa: PLC0415  (tasks import the services)

    with transaction.atomic():
        student_pass, _created = StudentPass.objects.get_or_create(student=student)
        audit_record(action="academy.pass_sent", actor=user, request=request, target=student.full_name)
        student_id = student.pk
        transaction.on_commit(lambda: student_pass_email.delay(student_id))
    return student_pass


def student_pass_from_token(*, token: str) -> StudentPass | None:
    """The valid, unrevoked pass a QR's text stands for in this workspace (None otherwise)."""
    return _pass_from_token(token)


def _pass_from_token(token: str) -> StudentPass | None:
    try:
        pass_id, token_nonce = signing.loads((token or "").strip(), salt=_salt())
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return (
        StudentPass.objects.select_related("student")
        .filter(pk=pass_id, token_nonce=token_nonce, revoked_at__isnull=True)
        .first()
    )


# --- Check-in ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckInResult:
    ok: bool
    code: str  # checked_in, already_checked_in, invalid_pass, inactive, no_session, or a refusal's code
    message: str
    student_name: str = ""
    session: Session | None = None
    attendance: Attendance | None = None


def checkin_by_token(*, token: str, site: Location, user=None, request=None, now: datetime | None = None):
    """Check the QR's student into the session going on at ``site`` now (or about to start).

    Idempotent per session: a second scan answers "already checked in". Every scan is audited,
    refused ones too.
    """
    now = now or timezone.now()
    student_pass = _pass_from_token(token)
    if student_pass is None:
        result = CheckInResult(
            False, "invalid_pass", _("This QR is not valid here (revoked, replaced or another academy's).")
        )
    elif not student_pass.student.is_active:
        result = CheckInResult(
            False, "inactive", _("This student is not active."), student_name=student_pass.student.full_name
        )
    else:
        result = _checkin(student_pass.student, site=site, user=user, now=now)
    audit_record(
        action="academy.checkin" if result.ok else "academy.checkin_refused",
        actor=user,
        request=request,
        target=result.student_name or "?",
        data={
            "code": result.code,
            "site_id": site.pk,
            "session_id": result.session.pk if result.session else None,
        },
    )
    return result


def _checkin(student: Customer, *, site: Location, user, now: datetime) -> CheckInResult:
    sessions = list(
        Session.objects.filter(
            room__site=site,
            status=Session.Status.SCHEDULED,
            starts_at__lte=now + EARLY_WINDOW,
            ends_at__gt=now,
        )
        .select_related("academy_class", "academy_class__class_type")
        .order_by("starts_at", "pk")
    )
    name = student.full_name
    if not sessions:
        return CheckInResult(False, "no_session", _("There is no class at this site now."), student_name=name)
    already = (
        Attendance.objects.filter(session__in=sessions, student=student)
        .exclude(status=Attendance.Status.ABSENT)
        .select_related("session__academy_class")
        .first()
    )
    if already is not None:
        return _welcome(already.session, already, name, again=True)
    refusal: tuple[AdmissionRefused, Session] | None = None
    for session in sessions:
        status = Attendance.Status.LATE if now > session.starts_at + LATE_AFTER else Attendance.Status.PRESENT
        try:
            with transaction.atomic():
                attendance, created = Attendance.objects.select_for_update().get_or_create(
                    session=session,
                    student=student,
                    defaults={
                        "status": status,
                        "source": Attendance.Source.QR,
                        "recorded_by": _user_or_none(user),
                    },
                )
                if not created and attendance.status == Attendance.Status.ABSENT:
                    attendance.status, attendance.source = status, Attendance.Source.QR
                    attendance.save(update_fields=["status", "source", "updated_at"])
                    created = True
                admission = (
                    admission_policy().admit(student=student, session=session, now=now) if created else None
                )
        except AdmissionRefused as error:  # rolled back: nothing recorded, nothing consumed
            refusal = refusal or (error, session)
            continue
        except IntegrityError:  # the same QR scanned twice at once: the other scan won
            attendance = Attendance.objects.get(session=session, student=student)
            return _welcome(session, attendance, name, again=True)
        return _welcome(
            session, attendance, name, again=not created, note=admission.note if admission else ""
        )
    error, session = refusal
    return CheckInResult(False, error.code, error.message, student_name=name, session=session)


def _welcome(session: Session, attendance: Attendance, name: str, *, again: bool, note: str = ""):
    local = timezone.localtime(session.starts_at, workspace_zone())
    values = {"class": session.academy_class.name, "time": f"{local:%H:%M}"}
    if again:
        message = _("Already checked in to %(class)s at %(time)s.") % values
    else:
        message = _("Welcome! %(class)s at %(time)s.") % values
    if note:
        message = f"{message} {note}"
    return CheckInResult(
        True,
        "already_checked_in" if again else "checked_in",
        message,
        student_name=name,
        session=session,
        attendance=attendance,
    )


def _user_or_none(user):
    return user if getattr(user, "is_authenticated", False) else None


# --- The teacher's roster ----------------------------------------------------------------------


def attendance_mark(
    *, session: Session, student: Customer, status: str, walk_in: bool = False, user=None, request=None
) -> Attendance:
    """Mark a student present, late or absent in a session (again: the last mark wins). A walk-in
    is a student not on the roster who came anyway."""
    if status not in Attendance.Status.values:
        raise ValueError(f"unknown attendance status {status!r}")
    with transaction.atomic():
        source = Attendance.Source.WALK_IN if walk_in else Attendance.Source.ROSTER
        attendance, created = Attendance.objects.select_for_update().get_or_create(
            session=session,
            student=student,
            defaults={"status": status, "source": source, "recorded_by": _user_or_none(user)},
        )
        if not created and attendance.status != status:
            attendance.status = status
            attendance.recorded_by = _user_or_none(user)
            attendance.save(update_fields=["status", "recorded_by", "updated_at"])
        audit_record(
            action="academy.attendance_marked",
            actor=user,
            request=request,
            target=f"{student.full_name} · {session}",
            data={"session_id": session.pk, "status": status, "walk_in": walk_in},
        )
    return attendance
