"""Reads of backups: which to keep, which a workspace has."""

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.db.models import QuerySet

from backups.models import WorkspaceBackup


def backup_list_for(*, tenant_slug: str) -> QuerySet[WorkspaceBackup]:
    return WorkspaceBackup.objects.filter(tenant_slug=tenant_slug).order_by("-created_at", "-id")


def backups_to_keep(
    taken: Iterable[tuple[int, datetime]], *, daily: int | None = None, weekly: int | None = None
) -> set[int]:
    """Ids to keep among ``(id, taken_at)`` of one workspace's complete backups: the newest of
    each of the last ``daily`` days that have one, and the newest of each of the last ``weekly``
    ISO weeks that have one (a backup may count for both)."""
    daily = settings.BACKUP_KEEP_DAILY if daily is None else daily
    weekly = settings.BACKUP_KEEP_WEEKLY if weekly is None else weekly
    newest_first = sorted(taken, key=lambda item: (item[1], item[0]), reverse=True)
    keep: set[int] = set()
    days: list = []
    weeks: list = []
    for backup_id, taken_at in newest_first:
        day = taken_at.date()
        week = day.isocalendar()[:2]
        if day not in days and len(days) < daily:
            days.append(day)
            keep.add(backup_id)
        if week not in weeks and len(weeks) < weekly:
            weeks.append(week)
            keep.add(backup_id)
    return keep
