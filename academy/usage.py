"""What an academy counts against its plan: active students and teachers (its sites are
locations, counted by inventory)."""

from plans.usage import usage_counter_register


def active_student_count() -> int:
    from academy.models import Enrolment  # noqa: PLC0415  (models load after the app registry)

    return Enrolment.objects.filter(status=Enrolment.Status.ACTIVE).values("student_id").distinct().count()


def teacher_count() -> int:
    from academy.models import Teacher  # noqa: PLC0415  (models load after the app registry)

    return Teacher.objects.filter(is_active=True).count()


def register_usage_counters() -> None:
    usage_counter_register("active_students", active_student_count)
    usage_counter_register("teachers", teacher_count)
