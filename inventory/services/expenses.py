"""Expenses: money spent outside stock (rent, wages, services), by category."""

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from accounts.permissions import Perm, require_perm
from inventory.exceptions import InvalidInput
from inventory.models import Expense, ExpenseCategory, Location
from inventory.services.common import money


def expense_category_create(*, name: str) -> ExpenseCategory:
    category = ExpenseCategory(name=(name or "").strip())
    category.full_clean()
    category.save()
    return category


def expense_create(
    *,
    user,
    date: datetime.date,
    amount: Decimal,
    category: ExpenseCategory,
    location: Location | None = None,
    note: str = "",
) -> Expense:
    """Record an expense (MANAGE_SUPPLIER_INVOICES). No location: it belongs to the whole business."""
    require_perm(user, Perm.MANAGE_SUPPLIER_INVOICES)
    amount = money(amount)
    if amount <= 0:
        raise InvalidInput(_("An expense must be more than zero."))
    expense = Expense(
        date=date,
        amount=amount,
        category=category,
        location=location,
        note=(note or "").strip(),
        created_by=user,
    )
    expense.full_clean()
    expense.save()
    return expense
