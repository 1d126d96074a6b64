"""Writes of the inventory app, by capability; import them from here.

Keyword-only functions named <entity>_<action>. Each owns its transaction; stock changes go
through the ledger in inventory.services.stock (row locks in a stable order, F expressions).
Errors: inventory.exceptions (domain), PermissionDenied (role), PlanLimitReached (plan),
ValidationError (fields).
"""

from inventory.services.catalogue import (
    category_create,
    category_update,
    location_create,
    location_update,
    product_create,
    product_update,
    supplier_create,
    supplier_update,
)
from inventory.services.common import document_number_next
from inventory.services.expenses import expense_category_create, expense_create
from inventory.services.purchasing import (
    PurchaseLineInput,
    ReceiveLineInput,
    purchase_order_cancel,
    purchase_order_close,
    purchase_order_create,
    purchase_order_receive,
    purchase_order_send,
    purchase_order_update,
)
from inventory.services.sales import (
    ReturnLineInput,
    SaleLineInput,
    lines_price,
    quote_cancel,
    quote_convert,
    quote_create,
    sale_create,
    sale_return,
    sale_void,
)
from inventory.services.stock import (
    StockChange,
    TransferLineInput,
    inventory_settings_update,
    stock_adjust,
    stock_count_cancel,
    stock_count_create,
    stock_count_line_set,
    stock_count_post,
    stock_lock,
    stock_movements_post,
    stock_receive,
    stock_reserve,
    transfer_receive,
    transfer_send,
)

__all__ = [
    "PurchaseLineInput",
    "ReceiveLineInput",
    "ReturnLineInput",
    "SaleLineInput",
    "StockChange",
    "TransferLineInput",
    "category_create",
    "category_update",
    "document_number_next",
    "expense_category_create",
    "expense_create",
    "inventory_settings_update",
    "lines_price",
    "location_create",
    "location_update",
    "product_create",
    "product_update",
    "purchase_order_cancel",
    "purchase_order_close",
    "purchase_order_create",
    "purchase_order_receive",
    "purchase_order_send",
    "purchase_order_update",
    "quote_cancel",
    "quote_convert",
    "quote_create",
    "sale_create",
    "sale_return",
    "sale_void",
    "stock_adjust",
    "stock_count_cancel",
    "stock_count_create",
    "stock_count_line_set",
    "stock_count_post",
    "stock_lock",
    "stock_movements_post",
    "stock_receive",
    "stock_reserve",
    "supplier_create",
    "supplier_update",
    "transfer_receive",
    "transfer_send",
]
