"""Who may check in to a session: the one place the front desk asks.

The academy knows enrolments and bookings. What a student bought (memberships, class packs,
drop-ins) lives in an app above this one, which registers its policy here when Django starts
(its ``AppConfig.ready``), so the academy never imports it. Without one, the enrolment decides.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from django.utils.translation import gettext as _

from academy.exceptions import AcademyError
from academy.models import Booking, Enrolment, Session
from customers.models import Customer


@dataclass(frozen=True)
class Admission:
    """A yes, with what covered the class ("Paquete 8 clases: quedan 3"), for the front desk."""

    note: str = ""


class AdmissionRefused(AcademyError):
    """Nothing covers this class for this student; ``message`` says why and what to buy."""

    code = "not_enrolled"

    def __init__(self, message: str | None = None, *, code: str | None = None):
        super().__init__(message)
        if code:
            self.code = code


class AdmissionPolicy(Protocol):
    def admit(self, *, student: Customer, session: Session, now: datetime) -> Admission:
        """Runs inside the transaction that records the attendance, once per new check-in: it may
        lock rows and consume what the student bought; raising AdmissionRefused rolls it all back."""


def enrolment_cover(*, student: Customer, session: Session) -> str | None:
    """What the academy itself knows covers the session: "enrolled", "trial", "drop_in" or None."""
    if Enrolment.objects.filter(
        academy_class_id=session.academy_class_id, student=student, status=Enrolment.Status.ACTIVE
    ).exists():
        return "enrolled"
    kind = (
        Booking.objects.filter(session=session, student=student, cancelled_at__isnull=True)
        .values_list("kind", flat=True)
        .first()
    )
    return kind


class EnrolmentPolicy:
    """The academy alone: enrolled in the class, or booked into the session."""

    def admit(self, *, student: Customer, session: Session, now: datetime) -> Admission:
        if enrolment_cover(student=student, session=session) is None:
            raise AdmissionRefused(
                _("Not enrolled in the classes now: %(classes)s.") % {"classes": session.academy_class.name}
            )
        return Admission()


_policy: AdmissionPolicy = EnrolmentPolicy()


def admission_policy_set(policy: AdmissionPolicy) -> None:
    """Install the check-in policy (an upper app's AppConfig.ready calls this once)."""
    global _policy
    _policy = policy


def admission_policy() -> AdmissionPolicy:
    return _policy
