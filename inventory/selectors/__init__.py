"""Reads of the inventory app, by capability; import them from here.

Selectors do the joins (select_related / prefetch_related / annotations). ``*_get(*, <x>_id, user)``
resolve ids that come from a request: current schema only, role checked, NotFound for both
"missing" and "forbidden".
"""

from inventory.selectors.catalogue import (
    CategoryNode,
    WorkspaceSummary,
    category_descendant_ids,
    category_get,
    category_tree,
    inventory_settings_get,
    location_get,
    location_list,
    product_get,
    product_get_by_code,
    product_list,
    product_list_recent,
    product_search_filter,
    supplier_get,
    supplier_list,
    workspace_summary,
)
from inventory.selectors.dashboard import (
    Dashboard,
    DashboardFigures,
    DaySales,
    dashboard_figures,
    dashboard_get,
    dashboard_latest_sales,
    dashboard_low_stock,
    dashboard_sales_per_day,
)
from inventory.selectors.expenses import expense_category_list, expense_get, expense_list
from inventory.selectors.purchasing import purchase_order_get, purchase_order_list, quantity_on_order
from inventory.selectors.sales import (
    SalesHistoryRow,
    quote_get,
    quote_list,
    sale_get,
    sale_list,
    sale_return_list,
    sales_history,
)
from inventory.selectors.stock import (
    stock_count_get,
    stock_count_list,
    stock_level_list,
    stock_movement_list,
    stock_on_hand,
    stock_on_hand_map,
    transfer_get,
    transfer_list,
)

__all__ = [
    "CategoryNode",
    "Dashboard",
    "DashboardFigures",
    "DaySales",
    "SalesHistoryRow",
    "WorkspaceSummary",
    "category_descendant_ids",
    "category_get",
    "category_tree",
    "dashboard_figures",
    "dashboard_get",
    "dashboard_latest_sales",
    "dashboard_low_stock",
    "dashboard_sales_per_day",
    "expense_category_list",
    "expense_get",
    "expense_list",
    "inventory_settings_get",
    "location_get",
    "location_list",
    "product_get",
    "product_get_by_code",
    "product_list",
    "product_search_filter",
    "product_list_recent",
    "purchase_order_get",
    "purchase_order_list",
    "quantity_on_order",
    "quote_get",
    "quote_list",
    "sale_get",
    "sale_list",
    "sale_return_list",
    "sales_history",
    "stock_count_get",
    "stock_count_list",
    "stock_level_list",
    "stock_movement_list",
    "stock_on_hand",
    "stock_on_hand_map",
    "supplier_get",
    "supplier_list",
    "transfer_get",
    "transfer_list",
    "workspace_summary",
]
