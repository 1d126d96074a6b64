"""Small helpers shared by the inventory services: numbers, amounts and quantities."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction
from django.db.models import F
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


def document_number_next(*, kind: str) -> int:
    """The next number of a kind of document (sale, purchase_order...), without gaps.

    Must run inside the transaction that creates the document: the counter row stays locked until
    it ends, so numbers are given in commit order and a rolled-back document frees its number.
    Callers take it after their stock locks (a global lock order: documents, stock, counters).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("document_number_next() must run inside transaction.atomic()")
    if not DocumentCounter.objects.filter(kind=kind).update(last_number=F("last_number") + 1):
        DocumentCounter.objects.bulk_create([DocumentCounter(kind=kind)], ignore_conflicts=True)
        DocumentCounter.objects.filter(kind=kind).update(last_number=F("last_number") + 1)
    return DocumentCounter.objects.values_list("last_number", flat=True).get(kind=kind)


def money_text(amount: Decimal) -> str:
    """An amount in the workspace's currency, written for the active language (for messages)."""
    return core_money_text(amount)
