"""Messaging tasks. Sent from inside a workspace, a task runs in that workspace's schema
(tenant-schemas-celery); all are safe to run twice."""

from celery import shared_task

from messaging.exceptions import GraphError
from messaging.reminders import reminders_send
from messaging.services import message_deliver, messages_purge


@shared_task(bind=True, max_retries=5, default_retry_delay=30)
def message_send_task(self, message_id: int) -> str | None:
    """Send one queued message through the Graph API; retried while Meta cannot be reached."""
    try:
        message = message_deliver(message_id=message_id)
    except GraphError as error:
        raise self.retry(exc=error) from error
    return message.status if message else None


@shared_task
def reminders_send_task() -> int:
    """The beat's look at what reminders are due (per workspace)."""
    return reminders_send().sent


@shared_task
def messages_purge_task() -> int:
    """The beat's daily retention purge (per workspace)."""
    return messages_purge()
