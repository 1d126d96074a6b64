"""Writes of teacher payroll: pay rules, period statements from the sessions actually taught, and
their approval as an expense."""

from collections import defaultdict
from datetime import date, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from academy.models import Attendance, Session, Teacher
from academy.services.common import local_datetime, workspace_zone
from accounts.permissions import Perm, require_perm
from audit.services import audit_record
from inventory.models import ExpenseCategory
from inventory.services import expense_category_create, expense_create
from inventory.services.common import money
from memberships.models import EntitlementUse
from payroll.exceptions import InvalidPayRule, StatementApproved
from payroll.models import PayrollLine, PayrollStatement, PayRule

ZERO = Decimal(0)
HUNDRED = Decimal(100)
EXPENSE_CATEGORY = "Nómina de profesores"


def pay_rule_create(
    *,
    teacher: Teacher,
    kind: str,
    amount: Decimal = ZERO,
    minimum: Decimal = ZERO,
    percent: Decimal = ZERO,
    user,
) -> PayRule:
    """Add a pay rule to a teacher (rules add up: e.g. a fixed amount plus a share of revenue)."""
    require_perm(user, Perm.MANAGE_PAYROLL)
    if kind not in PayRule.Kind.values:
        raise InvalidPayRule(_("Choose how this teacher is paid."))
    amount, minimum, percent = money(amount), money(minimum), Decimal(percent)
    if min(amount, minimum, percent) < 0 or percent > HUNDRED:
        raise InvalidPayRule(_("Amounts cannot be negative and a share is at most 100%."))
    if kind == PayRule.Kind.REVENUE_SHARE and percent <= 0:
        raise InvalidPayRule(_("Enter the share of the revenue (%)."))
    if kind != PayRule.Kind.REVENUE_SHARE and amount <= 0:
        raise InvalidPayRule(_("Enter the amount."))
    with transaction.atomic():
        rule = PayRule.objects.create(
            teacher=teacher, kind=kind, amount=amount, minimum=minimum, percent=percent
        )
        audit_record(action="payroll.rule_created", actor=user, target=str(rule))
    return rule


def _sessions_taught(teacher: Teacher, start: date, end: date):
    """Sessions this teacher taught (substitutions included) that started in the period and are over."""
    return (
        Session.objects.filter(
            teacher=teacher,
            status=Session.Status.SCHEDULED,
            starts_at__gte=local_datetime(start, time(0, 0)),
            starts_at__lt=local_datetime(end + timedelta(days=1), time(0, 0)),
            ends_at__lte=timezone.now(),
        )
        .select_related("academy_class")
        .annotate(
            attendees=Count(
                "attendances",
                filter=Q(attendances__status__in=[Attendance.Status.PRESENT, Attendance.Status.LATE]),
            )
        )
        .order_by("starts_at", "pk")
    )


def session_revenue(sessions) -> dict[int, Decimal]:
    """Revenue recognised in each session from what students bought: a pack's price over its
    classes for each credit used; a membership's month over the classes taken on it."""
    uses = list(
        EntitlementUse.objects.filter(session__in=sessions).select_related(
            "entitlement__sale_line", "entitlement__sale_line__sale"
        )
    )
    taken = dict(
        EntitlementUse.objects.filter(entitlement__in={use.entitlement_id for use in uses})
        .values("entitlement")
        .annotate(n=Count("pk"))
        .values_list("entitlement", "n")
    )
    revenue: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for use in uses:
        line = use.entitlement.sale_line
        if line.sale.status != "completed" or line.returned_quantity:
            continue
        classes = use.entitlement.credits_total or taken.get(use.entitlement_id, 1)
        revenue[use.session_id] += line.total / classes
    return {key: money(value) for key, value in revenue.items()}


def payroll_statement_build(
    *, teacher: Teacher, period_start: date, period_end: date, user
) -> PayrollStatement:
    """Build (or rebuild, while a draft) a teacher's statement for a period: one line per rule and
    taught session, plus fixed monthly amounts; the total is the sum of the lines."""
    require_perm(user, Perm.MANAGE_PAYROLL)
    if period_end < period_start:
        raise InvalidPayRule(_("The period must end on or after the day it starts."))
    rules = list(teacher.pay_rules.filter(is_active=True))
    sessions = list(_sessions_taught(teacher, period_start, period_end))
    revenue = session_revenue(sessions) if any(r.kind == PayRule.Kind.REVENUE_SHARE for r in rules) else {}
    zone = workspace_zone()
    lines = []
    for rule in rules:
        if rule.kind == PayRule.Kind.FIXED_MONTHLY:
            lines.append(
                PayrollLine(rule=rule, description=rule.get_kind_display(), quantity=1, amount=rule.amount)
            )
            continue
        for session in sessions:
            when = f"{timezone.localtime(session.starts_at, zone):%Y-%m-%d %H:%M}"
            label = f"{session.academy_class.name} · {when}"
            if rule.kind == PayRule.Kind.PER_CLASS:
                quantity, amount = Decimal(1), rule.amount
            elif rule.kind == PayRule.Kind.PER_HOUR:
                quantity = (Decimal((session.ends_at - session.starts_at).total_seconds()) / 3600).quantize(
                    Decimal("0.01")
                )
                amount = money(rule.amount * quantity)
            elif rule.kind == PayRule.Kind.PER_ATTENDEE:
                quantity = Decimal(session.attendees)
                amount = max(rule.minimum, money(rule.amount * quantity))
            else:  # revenue share
                quantity = revenue.get(session.pk, ZERO)
                amount = money(quantity * rule.percent / HUNDRED)
            lines.append(
                PayrollLine(rule=rule, session=session, description=label, quantity=quantity, amount=amount)
            )
    with transaction.atomic():
        statement, _created = PayrollStatement.objects.select_for_update().get_or_create(
            teacher=teacher, period_start=period_start, period_end=period_end
        )
        if statement.status == PayrollStatement.Status.APPROVED:
            raise StatementApproved(_("This statement is approved and no longer changes."))
        statement.lines.all().delete()
        for line in lines:
            line.statement = statement
        PayrollLine.objects.bulk_create(lines)
        statement.total = sum((line.amount for line in lines), ZERO)
        statement.save(update_fields=["total", "updated_at"])
        audit_record(
            action="payroll.statement_built",
            actor=user,
            target=str(statement),
            data={"total": str(statement.total)},
        )
    return statement


def payroll_statement_approve(*, statement: PayrollStatement, user) -> PayrollStatement:
    """Approve a statement: it is recorded once as an expense (category "Nómina de profesores")
    and no longer changes."""
    require_perm(user, Perm.MANAGE_PAYROLL)
    with transaction.atomic():
        locked = PayrollStatement.objects.select_for_update().select_related("teacher").get(pk=statement.pk)
        if locked.status == PayrollStatement.Status.APPROVED:
            raise StatementApproved(_("This statement is already approved."))
        if locked.total <= 0:
            raise InvalidPayRule(_("There is nothing to pay in this statement."))
        category = ExpenseCategory.objects.filter(name=EXPENSE_CATEGORY).first() or expense_category_create(
            name=EXPENSE_CATEGORY
        )
        expense = expense_create(
            user=user,
            date=locked.period_end,
            amount=locked.total,
            category=category,
            note=_("Payroll %(teacher)s %(start)s–%(end)s")
            % {"teacher": locked.teacher.full_name, "start": locked.period_start, "end": locked.period_end},
        )
        locked.status = PayrollStatement.Status.APPROVED
        locked.approved_at = timezone.now()
        locked.approved_by = user
        locked.expense = expense
        locked.save(update_fields=["status", "approved_at", "approved_by", "expense", "updated_at"])
        audit_record(
            action="payroll.statement_approved",
            actor=user,
            target=str(locked),
            data={"total": str(locked.total)},
        )
    return locked
