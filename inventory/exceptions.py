"""Domain errors of the inventory app.

Every error carries a translated, user-facing ``message`` and a stable ``code``; views and the API
turn them into form messages and ``{"detail": message, "code": code}`` answers in one place each.
Permission failures are ``django.core.exceptions.PermissionDenied`` (accounts.permissions) and
plan limits ``billing.exceptions.PlanLimitReached``; field-level problems (a bad barcode, a
duplicate SKU) are ``django.core.exceptions.ValidationError`` so forms can show them per field.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from core.money import number_text


def quantity_text(quantity: Decimal) -> str:
    """A quantity without trailing zeros, written for the active language and the workspace's
    country by the one formatter (core.money): 5, 2,5, 1.250."""
    return number_text(quantity)


class InventoryError(Exception):
    """Base of the inventory domain errors."""

    code = "inventory_error"

    def __init__(self, message: str | None = None):
        self.message = message or _("The operation could not be completed.")
        super().__init__(self.message)

    def __str__(self):
        return str(self.message)


class NotFound(InventoryError):
    """The object does not exist in this workspace, or the user may not see it (one error for both)."""

    code = "not_found"

    def __init__(self, message: str | None = None):
        super().__init__(message or _("Not found."))


@dataclass(frozen=True)
class Shortage:
    product: object  # inventory.models.Product
    location: object  # inventory.models.Location
    requested: Decimal
    available: Decimal


class InsufficientStock(InventoryError):
    """A movement would take a stock level below zero while negative stock is not allowed."""

    code = "insufficient_stock"

    def __init__(self, shortages: list[Shortage]):
        self.shortages = shortages
        parts = [
            _(
                "Not enough stock of %(product)s at %(location)s: %(available)s available, "
                "%(requested)s requested."
            )
            % {
                "product": shortage.product.name,
                "location": shortage.location.name,
                "available": quantity_text(shortage.available),
                "requested": quantity_text(shortage.requested),
            }
            for shortage in shortages
        ]
        super().__init__(" ".join(parts))


class NegativeStockExists(InventoryError):
    """Negative stock cannot be switched off while some levels are below zero."""

    code = "negative_stock_exists"

    def __init__(self, product_names: list[str]):
        self.product_names = product_names
        super().__init__(
            _(
                "Negative stock cannot be switched off: %(products)s are below zero. "
                "Count or adjust them first."
            )
            % {"products": ", ".join(product_names)}
        )


class InvalidInput(InventoryError):
    """A value the operation cannot take (the same location twice, a date in the past...)."""

    code = "invalid"


class InvalidQuantity(InventoryError):
    code = "invalid_quantity"


class ReasonRequired(InventoryError):
    code = "reason_required"

    def __init__(self, message: str | None = None):
        super().__init__(message or _("Please give a reason."))


class InvalidStatus(InventoryError):
    """The document is not in a state that allows this step (e.g. receiving a cancelled order)."""

    code = "invalid_status"


class InactiveObject(InventoryError):
    code = "inactive"


class InvalidPayment(InventoryError):
    code = "invalid_payment"


class SaleNotVoidable(InventoryError):
    code = "sale_not_voidable"


class ReturnExceedsSale(InventoryError):
    code = "return_exceeds_sale"


class QuoteExpired(InventoryError):
    code = "quote_expired"


class OverReceipt(InventoryError):
    code = "over_receipt"


class SupplierEmailMissing(InventoryError):
    code = "supplier_email_missing"

    def __init__(self, supplier_name: str):
        super().__init__(
            _("%(supplier)s has no email address; add one or mark the order as sent without emailing it.")
            % {"supplier": supplier_name}
        )


class StockNotTracked(InventoryError):
    """Services and class packages hold no stock: they cannot be received, moved or counted."""

    code = "stock_not_tracked"

    def __init__(self, product_name: str):
        super().__init__(_("%(product)s holds no stock.") % {"product": product_name})
