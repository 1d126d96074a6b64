"""Academies: rooms at each site, class types, teachers, weekly classes and their sessions,
enrolments with waitlists, drop-ins and trials, attendance and the students' QR passes.

Sites are the workspace's inventory locations of kind branch. Tenant schema.
"""

import secrets

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from customers.models import Customer
from inventory.models import Location


class Room(TimeStampedModel):
    site = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="rooms", verbose_name=_("site"))
    name = models.CharField(_("name"), max_length=80)
    capacity = models.PositiveIntegerField(_("capacity"), default=20)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["site__name", "name"]
        constraints = [models.UniqueConstraint(fields=["site", "name"], name="room_name_unique_per_site")]

    def __str__(self):
        return f"{self.name} · {self.site.name}"


class ClassType(TimeStampedModel):
    """Style and level (Salsa caleña · Principiantes), the ages it is for, length and colour."""

    style = models.CharField(_("style"), max_length=80)
    level = models.CharField(_("level"), max_length=60, blank=True)
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    default_duration_minutes = models.PositiveSmallIntegerField(_("default duration (minutes)"), default=60)
    colour = models.CharField(_("colour"), max_length=7, default="#2563eb")

    class Meta:
        verbose_name = _("class type")
        verbose_name_plural = _("class types")
        ordering = ["style", "level"]
        constraints = [
            models.UniqueConstraint(fields=["style", "level"], name="class_type_unique"),
            models.CheckConstraint(
                condition=models.Q(colour__regex=r"^#[0-9a-fA-F]{6}$"), name="class_type_colour"
            ),
            models.CheckConstraint(
                condition=models.Q(min_age__isnull=True)
                | models.Q(max_age__isnull=True)
                | models.Q(min_age__lte=models.F("max_age")),
                name="class_type_age_range",
            ),
        ]

    def __str__(self):
        return f"{self.style} · {self.level}" if self.level else self.style


class Teacher(TimeStampedModel):
    """A teacher: a record, optionally a workspace user with the TEACHER role (who signs in)."""

    full_name = models.CharField(_("full name"), max_length=150)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="teacher",
        verbose_name=_("user"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("teacher")
        verbose_name_plural = _("teachers")
        ordering = ["full_name"]

    def __str__(self):
        return self.full_name


WEEKDAY_SHORT = [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]


class AcademyClass(TimeStampedModel):
    """A recurring weekly slot: days, time, duration, room, teacher, capacity, start and end."""

    class_type = models.ForeignKey(
        ClassType, on_delete=models.PROTECT, related_name="classes", verbose_name=_("class type")
    )
    name = models.CharField(_("name"), max_length=120)
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="classes", verbose_name=_("room"))
    teacher = models.ForeignKey(
        Teacher, on_delete=models.PROTECT, related_name="classes", verbose_name=_("teacher")
    )
    # ISO weekdays as Python's date.weekday(): 0 Monday … 6 Sunday.
    weekdays = ArrayField(models.PositiveSmallIntegerField(), verbose_name=_("days"))
    start_time = models.TimeField(_("start time"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    capacity = models.PositiveIntegerField(_("capacity"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    term = models.CharField(_("term"), max_length=40, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(capacity__gt=0), name="class_capacity_positive"),
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gt=0), name="class_duration_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="class_dates_ordered",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def weekday_labels(self) -> list[str]:
        return [str(WEEKDAY_SHORT[day]) for day in self.weekdays]


class Session(TimeStampedModel):
    """One meeting of a class. Cancelling, moving or substituting one leaves the others alone."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    academy_class = models.ForeignKey(
        AcademyClass, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("class")
    )
    # The date of the weekly slot this session comes from (unchanged when it is moved): what makes
    # generating sessions twice harmless.
    slot_date = models.DateField(_("slot date"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("room"))
    teacher = models.ForeignKey(
        Teacher, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("teacher")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SCHEDULED)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["academy_class", "slot_date"], name="session_one_per_slot"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="session_ends_after"
            ),
        ]
        indexes = [models.Index(fields=["starts_at", "status"], name="session_starts_status")]

    def __str__(self):
        return f"{self.academy_class.name} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_substitute(self) -> bool:
        return self.teacher_id != self.academy_class.teacher_id


class Holiday(TimeStampedModel):
    site = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="holidays", verbose_name=_("site")
    )
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["site", "date"], name="holiday_one_per_site_day")]

    def __str__(self):
        return f"{self.date} {self.name}"


class Enrolment(TimeStampedModel):
    """A student in a class for a term: active, waiting for a place (in order), or dropped."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Enrolled")
        WAITLISTED = "waitlisted", _("Waitlisted")
        DROPPED = "dropped", _("Dropped")

    academy_class = models.ForeignKey(
        AcademyClass, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("class")
    )
    student = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("student")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    waitlisted_at = models.DateTimeField(_("waitlisted at"), null=True, blank=True)
    enrolled_at = models.DateTimeField(_("enrolled at"), null=True, blank=True)
    dropped_at = models.DateTimeField(_("dropped at"), null=True, blank=True)
    # When the "you have a place" email went out after a promotion from the waitlist.
    promotion_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["academy_class", "status", "waitlisted_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["academy_class", "student"],
                condition=~models.Q(status="dropped"),
                name="enrolment_one_open_per_student",
            ),
        ]

    def __str__(self):
        return f"{self.student} → {self.academy_class} ({self.status})"


class Booking(TimeStampedModel):
    """One session for a student who is not enrolled in the class: a drop-in or a free trial."""

    class Kind(models.TextChoices):
        DROP_IN = "drop_in", _("Drop-in")
        TRIAL = "trial", _("Trial class")
        MAKEUP = "makeup", _("Makeup class")

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="bookings", verbose_name=_("session")
    )
    student = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("student")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # For a makeup: the session of the student's own class that they missed.
    makeup_for = models.ForeignKey(
        Session,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="makeups",
        verbose_name=_("makes up for"),
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "student"],
                condition=models.Q(cancelled_at__isnull=True),
                name="booking_once",
            ),
            # A missed session is made up once.
            models.UniqueConstraint(
                fields=["student", "makeup_for"],
                condition=models.Q(makeup_for__isnull=False, cancelled_at__isnull=True),
                name="booking_one_makeup_per_missed_session",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="makeup", makeup_for__isnull=False)
                | (~models.Q(kind="makeup") & models.Q(makeup_for__isnull=True)),
                name="booking_makeup_names_the_missed_session",
            ),
            # One free trial per student, ever.
            models.UniqueConstraint(
                fields=["student"],
                condition=models.Q(kind="trial", cancelled_at__isnull=True),
                name="booking_one_trial_per_student",
            ),
        ]


class Attendance(TimeStampedModel):
    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        LATE = "late", _("Late")
        ABSENT = "absent", _("Absent")

    class Source(models.TextChoices):
        ROSTER = "roster", _("Roster")
        QR = "qr", _("QR check-in")
        WALK_IN = "walk_in", _("Walk-in")

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("session")
    )
    student = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="attendances", verbose_name=_("student")
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(fields=["session", "student"], name="attendance_once_per_session")
        ]


def new_nonce() -> str:
    return secrets.token_urlsafe(12)


class StudentPass(TimeStampedModel):
    """What a student's QR stands for. The QR holds a signed (pass id, nonce) pair, no personal
    data; a new nonce (rotation) makes every earlier QR worthless. The field is named as a token
    so that data exports leave it out."""

    student = models.OneToOneField(Customer, on_delete=models.CASCADE, related_name="academy_pass")
    token_nonce = models.CharField(max_length=32, default=new_nonce)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("student pass")
        verbose_name_plural = _("student passes")
