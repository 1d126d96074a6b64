"""Reads of expenses."""

from datetime import date

from django.db.models import QuerySet

from accounts.permissions import Perm
from inventory.models import Expense, ExpenseCategory, Location
from inventory.selectors.common import object_get


def expense_get(*, expense_id, user) -> Expense:
    return object_get(
        Expense.objects.select_related("category", "location", "created_by"),
        expense_id,
        user=user,
        perm=Perm.VIEW_BALANCE,
    )


def expense_list(
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    category: ExpenseCategory | None = None,
    location: Location | None = None,
) -> QuerySet[Expense]:
    expenses = Expense.objects.select_related("category", "location", "created_by")
    if date_from is not None:
        expenses = expenses.filter(date__gte=date_from)
    if date_to is not None:
        expenses = expenses.filter(date__lte=date_to)
    if category is not None:
        expenses = expenses.filter(category=category)
    if location is not None:
        expenses = expenses.filter(location=location)
    return expenses.order_by("-date", "-id")


def expense_category_list(*, active: bool | None = True) -> QuerySet[ExpenseCategory]:
    categories = ExpenseCategory.objects.all()
    if active is not None:
        categories = categories.filter(is_active=active)
    return categories.order_by("name")
