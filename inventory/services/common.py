"""Small helpers shared by the inventory services: numbers, amounts and quantities."""

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import connection, transaction
from django.utils.translation import gettext as _

from core.money import money_text as core_money_text
from inventory.exceptions import InvalidQuantity, ReasonRequired
from inventory.models import DocumentCounter, Product
from inventory.models.fields import CENT, MONEY_LIMIT, QUANTITY_LIMIT, QUANTITY_STEP, UNIT_COST_STEP


def decimal_of(value) -> Decimal:
    """A Decimal from an int, str or Decimal (floats are read through their text, never binary)."""
    if isinstance(value, Decimal):
        result = value
    else:
        try:
            result = Decimal(str(value).strip())
        except (InvalidOperation, ValueError) as error:
            raise InvalidQuantity(_("Enter a number.")) from error
    if not result.is_finite():
        raise InvalidQuantity(_("Enter a number."))
    return result


def money(value) -> Decimal:
    """An amount rounded to cents (half up, as receipts round); InvalidQuantity past what a
    money column holds."""
    amount = decimal_of(value)
    if abs(amount) >= MONEY_LIMIT:
        raise InvalidQuantity(_("That amount is too large."))
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def unit_cost(value) -> Decimal:
    cost = decimal_of(value)
    if abs(cost) >= MONEY_LIMIT:
        raise InvalidQuantity(_("That amount is too large."))
    return cost.quantize(UNIT_COST_STEP, rounding=ROUND_HALF_UP)


def quantity_of(
    value, *, product: Product, allow_zero: bool = False, allow_negative: bool = False
) -> Decimal:
    """A quantity of ``product``: at most three decimals, whole for units and packs."""
    quantity = decimal_of(value)
    if abs(quantity) >= QUANTITY_LIMIT:
        raise InvalidQuantity(_("That quantity is too large."))
    if quantity != quantity.quantize(QUANTITY_STEP):
        raise InvalidQuantity(_("Quantities take at most three decimals."))
    quantity = quantity.quantize(QUANTITY_STEP)
    if quantity == 0 and not allow_zero:
        raise InvalidQuantity(_("Enter a quantity other than zero."))
    if quantity < 0 and not allow_negative:
        raise InvalidQuantity(_("Enter a quantity greater than zero."))
    if not product.allows_fractions and quantity != quantity.to_integral_value():
        raise InvalidQuantity(_("%(product)s is counted in whole units.") % {"product": product.name})
    return quantity


def reason_of(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired()
    return reason[:255]


def _counter_add(*, kind: str, by: int) -> int | None:
    """Add ``by`` to a counter row in one statement (row lock until the transaction ends); the
    new value, None when the row does not exist."""
    table = connection.ops.quote_name(DocumentCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last_number = last_number + %s WHERE kind = %s RETURNING last_number",
            [by, kind],
        )
        row = cursor.fetchone()
    return None if row is None else row[0]


def document_number_next(*, kind: str) -> int:
    """The next number of a kind of document (sale, purchase_order...), without gaps.

    Must run inside the transaction that creates the document: the counter row stays locked until
    it ends, so a rolled-back document frees its number. Take it as late as possible (the sale
    takes it last, just before its own INSERT and the commit): every other document of the kind
    waits for it. Lock order across the app: documents, stock, counters.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("document_number_next() must run inside transaction.atomic()")
    number = _counter_add(kind=kind, by=1)
    if number is None:
        DocumentCounter.objects.bulk_create([DocumentCounter(kind=kind)], ignore_conflicts=True)
        number = _counter_add(kind=kind, by=1)
    return number


def month_counter_add(*, kind: str, month_start: datetime, month_end: datetime, by: int, count) -> int:
    """Add ``by`` to a per-month counter (a DocumentCounter row named ``<kind>:<YYYY-MM>``) and
    return its new value: what the plan's "a month" limits read instead of counting rows.

    The first use in a month starts the row from ``count(month_start, month_end)`` (a COUNT of
    what is already there); concurrent first uses wait on the row's unique key, so none is lost.
    Inside the caller's transaction: the row stays locked until it ends and a rollback gives the
    count back, so take it late (as document_number_next).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("month_counter_add() must run inside transaction.atomic()")
    name = f"{kind}:{month_start:%Y-%m}"
    value = _counter_add(kind=name, by=by)
    if value is None:
        DocumentCounter.objects.bulk_create(
            [DocumentCounter(kind=name, last_number=count(month_start, month_end))], ignore_conflicts=True
        )
        value = _counter_add(kind=name, by=by)
    return value


def month_counter_value(*, kind: str, month_start: datetime, month_end: datetime, count) -> int:
    """A per-month counter's value without taking its lock (the COUNT when it has no row yet)."""
    value = (
        DocumentCounter.objects.filter(kind=f"{kind}:{month_start:%Y-%m}")
        .values_list("last_number", flat=True)
        .first()
    )
    return count(month_start, month_end) if value is None else value


def money_text(amount: Decimal) -> str:
    """An amount in the workspace's currency, written for the active language (for messages)."""
    return core_money_text(amount)
