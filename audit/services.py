"""Writes to the audit log. Callers pass what happened; this never raises for bad metadata."""

from audit.models import AuditEvent
from core.http import client_ip


def audit_record(
    *,
    action: str,
    actor=None,
    actor_email: str = "",
    target: str = "",
    request=None,
    data: dict | None = None,
) -> AuditEvent:
    """Record one audit event in the current workspace's schema.

    ``data`` must hold no secrets (passwords, tokens, card data): it is shown to admins.
    """
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        actor_email=actor_email or (actor.email if actor is not None else ""),
        target=str(target)[:200],
        ip_address=client_ip(request),
        data=data or {},
    )
