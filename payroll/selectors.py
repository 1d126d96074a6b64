"""Reads of teacher payroll, scoped: owners and admins see every statement, a teacher only their
own; one error (AcademyNotFound) for missing and forbidden."""

from django.db.models import QuerySet

from academy.exceptions import AcademyNotFound
from accounts.permissions import Perm, has_perm
from payroll.models import PayrollStatement


def _as_id(value) -> int | None:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


def statement_list(*, user) -> QuerySet:
    rows = PayrollStatement.objects.select_related("teacher", "expense")
    if has_perm(user, Perm.MANAGE_PAYROLL):
        return rows
    if has_perm(user, Perm.VIEW_OWN_PAYROLL):
        return rows.filter(teacher__user=user)
    return rows.none()


def statement_get(*, statement_id, user) -> PayrollStatement:
    statement = (
        statement_list(user=user)
        .prefetch_related("lines__session__academy_class", "lines__rule")
        .filter(pk=_as_id(statement_id) or 0)
        .first()
    )
    if statement is None:
        raise AcademyNotFound()
    return statement
