"""Domain errors of the academy: a translated ``message`` and a stable ``code`` each."""

from django.utils.translation import gettext as _


class AcademyError(Exception):
    code = "academy_error"

    def __init__(self, message: str | None = None):
        self.message = message or _("The operation could not be completed.")
        super().__init__(self.message)

    def __str__(self):
        return str(self.message)


class AcademyNotFound(AcademyError):
    """Missing, another workspace's, or not the user's to see: one error for all three."""

    code = "not_found"

    def __init__(self, message: str | None = None):
        super().__init__(message or _("Not found."))


class ScheduleConflict(AcademyError):
    """A room or a teacher would be in two places at once; the message names the clash."""

    code = "schedule_conflict"


class InvalidSchedule(AcademyError):
    code = "invalid_schedule"


class AlreadyEnrolled(AcademyError):
    code = "already_enrolled"


class ClassFull(AcademyError):
    code = "class_full"


class TrialAlreadyUsed(AcademyError):
    code = "trial_already_used"


class SessionNotOpen(AcademyError):
    """The session is cancelled (or over) and takes no bookings."""

    code = "session_not_open"


class InvalidMakeup(AcademyError):
    """The session named is not one of the student's own, missed, of the same class type."""

    code = "invalid_makeup"
