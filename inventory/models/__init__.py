"""Inventory models (tenant schema), split by capability; import them from here."""

from inventory.models.catalogue import (
    Category,
    DocumentCounter,
    InventorySettings,
    Location,
    OpeningHours,
    Product,
    Supplier,
)
from inventory.models.expenses import Expense, ExpenseCategory
from inventory.models.imports import ImportJob
from inventory.models.purchasing import PurchaseOrder, PurchaseOrderLine
from inventory.models.sales import (
    PaymentMethod,
    Quote,
    QuoteLine,
    Sale,
    SaleLine,
    SaleReturn,
    SaleReturnLine,
    SalesHourTotal,
)
from inventory.models.stock import (
    StockCount,
    StockCountLine,
    StockLevel,
    StockMovement,
    Transfer,
    TransferLine,
)

__all__ = [
    "Category",
    "DocumentCounter",
    "Expense",
    "ExpenseCategory",
    "ImportJob",
    "InventorySettings",
    "Location",
    "OpeningHours",
    "PaymentMethod",
    "Product",
    "PurchaseOrder",
    "PurchaseOrderLine",
    "Quote",
    "QuoteLine",
    "Sale",
    "SaleLine",
    "SaleReturn",
    "SaleReturnLine",
    "SalesHourTotal",
    "StockCount",
    "StockCountLine",
    "StockLevel",
    "StockMovement",
    "Supplier",
    "Transfer",
    "TransferLine",
]
