"""Reads of the audit log (the current workspace's schema)."""

from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import User
from audit.models import AuditEvent


def _start_of(day: date) -> datetime:
    """Midnight of ``day`` in the active time zone (the workspace's, set by its middleware)."""
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_event_list(
    *,
    action: str = "",
    user: User | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditEvent]:
    """The workspace's audit events, newest first, filtered by action, user and days (inclusive).

    A user's events include those recorded only by email (failed sign-ins on their account).
    """
    events = AuditEvent.objects.select_related("actor")
    if action:
        events = events.filter(action=action)
    if user is not None:
        events = events.filter(Q(actor=user) | Q(actor__isnull=True, actor_email__iexact=user.email))
    if date_from is not None:
        events = events.filter(created_at__gte=_start_of(date_from))
    if date_to is not None:
        events = events.filter(created_at__lt=_start_of(date_to + timedelta(days=1)))
    return events
