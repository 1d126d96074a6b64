"""Team emails, sent by Celery after the transaction commits.

Sent from inside a workspace's schema, a task runs in that schema (tenant_schemas_celery puts
the schema in the message headers).
"""

from celery import shared_task

from team.invitations import invitation_email_send


@shared_task
def send_invitation_email(invitation_id: int, base_url: str) -> bool:
    """Email a pending invitation's link; safe to run twice (the second run sends nothing)."""
    return invitation_email_send(invitation_id=invitation_id, base_url=base_url)
