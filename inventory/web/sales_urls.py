"""Routes of the sales screens (included into the `workspace` namespace by inventory/urls.py)."""

from django.urls import path

from inventory.web import sales

urlpatterns = [
    path("pos/", sales.sale_pos, name="sale_pos"),
    path("pos/lookup/", sales.sale_product_lookup, name="sale_product_lookup"),
    path("sales/", sales.sale_list_view, name="sale_list"),
    path("sales/export.csv", sales.sale_export, {"fmt": "csv"}, name="sale_export_csv"),
    path("sales/export.xlsx", sales.sale_export, {"fmt": "xlsx"}, name="sale_export_xlsx"),
    path("sales/<int:sale_id>/", sales.sale_detail, name="sale_detail"),
    path("sales/<int:sale_id>/receipt/", sales.sale_receipt, name="sale_receipt"),
    path("sales/<int:sale_id>/void/", sales.sale_void_view, name="sale_void"),
    path("sales/<int:sale_id>/return/", sales.sale_return_view, name="sale_return"),
]
