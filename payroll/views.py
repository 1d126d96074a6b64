"""Payroll screens: pay rules, statements (build, read, approve, export); a teacher reads their own."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from academy.exceptions import AcademyError, AcademyNotFound
from academy.services.common import workspace_zone
from accounts.permissions import Perm, has_perm, permission_required_view
from inventory.exceptions import InventoryError
from inventory.web.listing import Column, export_response
from payroll import selectors
from payroll.forms import BuildForm, PayRuleForm, PeriodForm
from payroll.models import PayRule
from payroll.services import pay_rule_create, payroll_statement_approve, payroll_statement_build

ERRORS = (AcademyError, InventoryError)


def _get(selector, **kwargs):
    try:
        return selector(**kwargs)
    except AcademyNotFound as missing:
        raise Http404(str(missing)) from None


def _require_reader(user) -> None:
    """Owners and admins read every statement; a teacher their own (the selectors scope them)."""
    if not (has_perm(user, Perm.MANAGE_PAYROLL) or has_perm(user, Perm.VIEW_OWN_PAYROLL)):
        raise PermissionDenied()


@login_required
def statement_list_view(request):
    _require_reader(request.user)
    manager = has_perm(request.user, Perm.MANAGE_PAYROLL)
    form = BuildForm(request.POST or None) if manager else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied()
        if form.is_valid():
            try:
                statement = payroll_statement_build(user=request.user, **form.cleaned_data)
            except ERRORS as error:
                form.add_error(None, str(error.message))
            else:
                return redirect("payroll:statement", statement_id=statement.pk)
    return render(
        request,
        "payroll/statements.html",
        {"statements": selectors.statement_list(user=request.user)[:100], "form": form},
    )


@login_required
def statement_view(request, statement_id: int):
    _require_reader(request.user)
    statement = _get(selectors.statement_get, statement_id=statement_id, user=request.user)
    return render(
        request,
        "payroll/statement.html",
        {"statement": statement, "can_approve": has_perm(request.user, Perm.MANAGE_PAYROLL)},
    )


EXPORT_COLUMNS = [
    Column("description", _lazy("Description"), "description"),
    Column("session", _lazy("Session"), "session_id"),
    Column("starts_at", _lazy("Starts at"), "session.starts_at", kind=Column.DATETIME),
    Column("rule", _lazy("Rule"), "rule.get_kind_display"),
    Column("quantity", _lazy("Quantity"), "quantity", kind=Column.QUANTITY),
    Column("amount", _lazy("Amount"), "amount", kind=Column.MONEY),
]


@login_required
def statement_export_view(request, statement_id: int):
    """The statement's lines as CSV or Excel (``?format=xlsx``), each with its session."""
    _require_reader(request.user)
    statement = _get(selectors.statement_get, statement_id=statement_id, user=request.user)
    export_format = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    return export_response(
        statement.lines.all(),
        columns=EXPORT_COLUMNS,
        export_format=export_format,
        filename=f"nomina-{statement.pk}",
    )


@require_POST
@permission_required_view(Perm.MANAGE_PAYROLL)
def statement_approve_view(request, statement_id: int):
    statement = _get(selectors.statement_get, statement_id=statement_id, user=request.user)
    try:
        payroll_statement_approve(statement=statement, user=request.user)
    except ERRORS as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Statement approved and recorded as an expense."))
    return redirect("payroll:statement", statement_id=statement.pk)


@permission_required_view(Perm.MANAGE_PAYROLL)
def profit_view(request):
    """Profit per class and figures per offer over a period (this month by default); the books'
    figures, so the money permission is needed as well."""
    if not has_perm(request.user, Perm.VIEW_MONEY):
        raise PermissionDenied()
    today = timezone.localdate(timezone=workspace_zone())
    form = PeriodForm(request.GET or None, initial={"start": today.replace(day=1), "end": today})
    start, end = today.replace(day=1), today
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    rows = selectors.class_profit(start=start, end=end)
    return render(
        request,
        "payroll/profit.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "rows": rows,
            "offers": selectors.offer_figures(start=start, end=end),
            "totals": {
                "revenue": sum((row.revenue for row in rows), Decimal(0)),
                "pay": sum((row.teacher_pay for row in rows), Decimal(0)),
                "profit": sum((row.profit for row in rows), Decimal(0)),
            },
        },
    )


@permission_required_view(Perm.MANAGE_PAYROLL)
def rule_list_view(request):
    form = PayRuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {key: value for key, value in form.cleaned_data.items() if value is not None}
        try:
            pay_rule_create(user=request.user, **data)
        except ERRORS as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("Pay rule added."))
            return redirect("payroll:rules")
    rules = PayRule.objects.filter(is_active=True).select_related("teacher")
    return render(request, "payroll/rules.html", {"form": form, "rules": rules})
