"""Writes of the academy (see each module)."""

from academy.services.attendance import (  # noqa: F401
    CheckInResult,
    attendance_mark,
    checkin_by_token,
    student_pass_from_token,
    student_pass_get_or_create,
    student_pass_revoke,
    student_pass_rotate,
    student_pass_send,
    student_pass_token,
)
from academy.services.enrolment import (  # noqa: F401
    booking_create,
    class_places_taken,
    enrolment_create,
    enrolment_drop,
    session_places_taken,
)
from academy.services.timetable import (  # noqa: F401
    HORIZON_WEEKS,
    ClassInput,
    class_create,
    class_type_create,
    holiday_create,
    holidays_load,
    room_create,
    session_cancel,
    session_reschedule,
    sessions_generate,
    teacher_create,
)
