"""Routes of the catalogue, stock and purchasing screens (included into the `workspace` namespace
by inventory/urls.py). Names are prefixed by area: product_*, category_*, location_*, stock_*,
transfer_*, stock_count_*, supplier_*, purchase_order_*, quote_*, expense_*."""

from django.urls import path

from inventory.web import catalogue_products as products
from inventory.web import catalogue_purchasing as purchasing
from inventory.web import catalogue_stock as stock
from inventory.web import pickers

urlpatterns = [
    # Catalogue
    path("products/", products.product_list_view, name="product_list"),
    path("products/new/", products.product_create_view, name="product_create"),
    path("products/lookup/", pickers.product_picker_lookup, name="product_picker_lookup"),
    path("products/<int:product_id>/edit/", products.product_update_view, name="product_update"),
    path("categories/", products.category_list_view, name="category_list"),
    path("categories/new/", products.category_create_view, name="category_create"),
    path("categories/<int:category_id>/edit/", products.category_update_view, name="category_update"),
    path("locations/", products.location_list_view, name="location_list"),
    path("locations/new/", products.location_create_view, name="location_create"),
    path("locations/<int:location_id>/edit/", products.location_update_view, name="location_update"),
    # Stock
    path("stock/", stock.stock_level_list_view, name="stock_level_list"),
    path("stock/movements/", stock.stock_movement_list_view, name="stock_movement_list"),
    path("stock/adjust/", stock.stock_adjust_view, name="stock_adjust"),
    path("stock/transfers/", stock.transfer_list_view, name="transfer_list"),
    path("stock/transfers/new/", stock.transfer_create_view, name="transfer_create"),
    path("stock/transfers/<int:transfer_id>/", stock.transfer_detail_view, name="transfer_detail"),
    path("stock/transfers/<int:transfer_id>/receive/", stock.transfer_receive_view, name="transfer_receive"),
    path("stock/counts/", stock.stock_count_list_view, name="stock_count_list"),
    path("stock/counts/new/", stock.stock_count_create_view, name="stock_count_create"),
    path("stock/counts/<int:stock_count_id>/", stock.stock_count_detail_view, name="stock_count_detail"),
    path("stock/counts/<int:stock_count_id>/post/", stock.stock_count_post_view, name="stock_count_post"),
    path(
        "stock/counts/<int:stock_count_id>/cancel/", stock.stock_count_cancel_view, name="stock_count_cancel"
    ),
    # Purchasing
    path("suppliers/", purchasing.supplier_list_view, name="supplier_list"),
    path("suppliers/new/", purchasing.supplier_create_view, name="supplier_create"),
    path("suppliers/<int:supplier_id>/edit/", purchasing.supplier_update_view, name="supplier_update"),
    path("purchase-orders/", purchasing.purchase_order_list_view, name="purchase_order_list"),
    path("purchase-orders/new/", purchasing.purchase_order_create_view, name="purchase_order_create"),
    path(
        "purchase-orders/<int:purchase_order_id>/",
        purchasing.purchase_order_detail_view,
        name="purchase_order_detail",
    ),
    path(
        "purchase-orders/<int:purchase_order_id>/edit/",
        purchasing.purchase_order_edit_view,
        name="purchase_order_edit",
    ),
    path(
        "purchase-orders/<int:purchase_order_id>/print/",
        purchasing.purchase_order_print_view,
        name="purchase_order_print",
    ),
    path(
        "purchase-orders/<int:purchase_order_id>/send/",
        purchasing.purchase_order_send_view,
        name="purchase_order_send",
    ),
    path(
        "purchase-orders/<int:purchase_order_id>/receive/",
        purchasing.purchase_order_receive_view,
        name="purchase_order_receive",
    ),
    path(
        "purchase-orders/<int:purchase_order_id>/close/",
        purchasing.purchase_order_close_view,
        name="purchase_order_close",
    ),
    path(
        "purchase-orders/<int:purchase_order_id>/cancel/",
        purchasing.purchase_order_cancel_view,
        name="purchase_order_cancel",
    ),
    path("quotes/", purchasing.quote_list_view, name="quote_list"),
    path("quotes/new/", purchasing.quote_create_view, name="quote_create"),
    path("quotes/<int:quote_id>/", purchasing.quote_detail_view, name="quote_detail"),
    path("quotes/<int:quote_id>/convert/", purchasing.quote_convert_view, name="quote_convert"),
    path("quotes/<int:quote_id>/cancel/", purchasing.quote_cancel_view, name="quote_cancel"),
    path("expenses/", purchasing.expense_list_view, name="expense_list"),
    path("expenses/new/", purchasing.expense_create_view, name="expense_create"),
    path("expenses/categories/", purchasing.expense_category_list_view, name="expense_category_list"),
    path("expenses/categories/new/", purchasing.expense_category_create_view, name="expense_category_create"),
]
