"""Resolving ids that come from a request: scoped to the current schema and to the user's role,
with one error (NotFound) for "does not exist" and "not yours to see" (Zulip's access_*_by_id)."""

from django.db.models import Model, QuerySet

from accounts.permissions import Perm, has_perm
from inventory.exceptions import NotFound


def object_get(queryset: QuerySet, object_id, *, user, perm: Perm) -> Model:
    """The object with ``object_id`` in ``queryset``, when ``user`` holds ``perm``; NotFound otherwise.

    Tenant schemas keep workspaces apart: an id from another workspace names nothing here (or
    another row of this workspace, never the other workspace's).
    """
    if not has_perm(user, perm):
        raise NotFound()
    try:
        object_id = int(object_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    found = queryset.filter(pk=object_id).first()
    if found is None:
        raise NotFound()
    return found
