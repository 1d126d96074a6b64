"""Academy tasks. Sent from inside a workspace, a task runs in that workspace's schema
(tenant-schemas-celery); all are safe to run twice."""

from celery import shared_task

from academy.emails import (
    enrolment_promoted_email_send,
    session_cancelled_email_send,
    student_pass_email_send,
)
from academy.services import sessions_generate


@shared_task
def enrolment_promoted_notify(enrolment_id: int) -> bool:
    return enrolment_promoted_email_send(enrolment_id=enrolment_id)


@shared_task
def session_cancelled_notify(session_id: int) -> int:
    return session_cancelled_email_send(session_id=session_id)


@shared_task
def sessions_generate_ahead() -> int:
    """Keep 12 weeks of sessions ahead (beat, once a day per workspace)."""
    return sessions_generate()


@shared_task
def student_pass_email(student_id: int) -> bool:
    return student_pass_email_send(student_id=student_id)
