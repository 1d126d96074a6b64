"""/api/v1/ (the staff API), /api/schema/ (OpenAPI 3) and /api/docs/ (its page, assets served here)."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from api import academy, academy_money, messaging, orders, payments, views, web

app_name = "api"

v1 = [
    path("tokens/", views.ApiTokenListCreateApi.as_view(), name="token_list"),
    path("tokens/<int:token_id>/", views.ApiTokenRevokeApi.as_view(), name="token_revoke"),
    path("products/", views.ProductListCreateApi.as_view(), name="product_list"),
    path("products/<int:product_id>/", views.ProductDetailUpdateApi.as_view(), name="product_detail"),
    path("categories/", views.CategoryListCreateApi.as_view(), name="category_list"),
    path("categories/<int:category_id>/", views.CategoryDetailUpdateApi.as_view(), name="category_detail"),
    path("locations/", views.LocationListCreateApi.as_view(), name="location_list"),
    path("locations/<int:location_id>/", views.LocationDetailUpdateApi.as_view(), name="location_detail"),
    path("stock-levels/", views.StockLevelListApi.as_view(), name="stock_level_list"),
    path("stock-movements/", views.StockMovementListApi.as_view(), name="stock_movement_list"),
    path("stock-adjustments/", views.StockAdjustmentCreateApi.as_view(), name="stock_adjustment_create"),
    path("sales/", views.SaleListCreateApi.as_view(), name="sale_list"),
    path("sales/<int:sale_id>/", views.SaleDetailApi.as_view(), name="sale_detail"),
    path("sales/<int:sale_id>/void/", views.SaleVoidApi.as_view(), name="sale_void"),
    path("sales/<int:sale_id>/returns/", views.SaleReturnCreateApi.as_view(), name="sale_return_create"),
    path("transfers/", views.TransferListCreateApi.as_view(), name="transfer_list"),
    path("transfers/<int:transfer_id>/", views.TransferDetailApi.as_view(), name="transfer_detail"),
    path("transfers/<int:transfer_id>/receive/", views.TransferReceiveApi.as_view(), name="transfer_receive"),
    path("suppliers/", views.SupplierListCreateApi.as_view(), name="supplier_list"),
    path("suppliers/<int:supplier_id>/", views.SupplierDetailUpdateApi.as_view(), name="supplier_detail"),
    path("purchase-orders/", views.PurchaseOrderListCreateApi.as_view(), name="purchase_order_list"),
    path(
        "purchase-orders/<int:purchase_order_id>/",
        views.PurchaseOrderDetailApi.as_view(),
        name="purchase_order_detail",
    ),
    path(
        "purchase-orders/<int:purchase_order_id>/send/",
        views.PurchaseOrderSendApi.as_view(),
        name="purchase_order_send",
    ),
    path(
        "purchase-orders/<int:purchase_order_id>/receive/",
        views.PurchaseOrderReceiveApi.as_view(),
        name="purchase_order_receive",
    ),
    path("quotes/", views.QuoteListCreateApi.as_view(), name="quote_list"),
    path("quotes/<int:quote_id>/", views.QuoteDetailApi.as_view(), name="quote_detail"),
    path("quotes/<int:quote_id>/convert/", views.QuoteConvertApi.as_view(), name="quote_convert"),
    path("expenses/", views.ExpenseListCreateApi.as_view(), name="expense_list"),
    path("expense-categories/", views.ExpenseCategoryListApi.as_view(), name="expense_category_list"),
    path("forecasts/", views.SeriesForecastListApi.as_view(), name="forecast_list"),
    path("suggestions/", views.SuggestionListApi.as_view(), name="suggestion_list"),
    path(
        "suggestions/purchase-orders/",
        views.SuggestedOrderCreateApi.as_view(),
        name="suggested_order_create",
    ),
    path("dashboard/", views.DashboardApi.as_view(), name="dashboard"),
    path("users/", views.UserListApi.as_view(), name="user_list"),
    path("invitations/", views.InvitationCreateApi.as_view(), name="invitation_create"),
    # Orders from customers (api/orders.py)
    path("orders/", orders.OrderListCreateApi.as_view(), name="order_list"),
    path("orders/<int:order_id>/", orders.OrderDetailApi.as_view(), name="order_detail"),
    path("orders/<int:order_id>/move/", orders.OrderMoveApi.as_view(), name="order_move"),
    # Customers and academies (api/academy.py)
    path("customers/", academy.CustomerListCreateApi.as_view(), name="customer_list"),
    path("customers/<int:customer_id>/", academy.CustomerDetailUpdateApi.as_view(), name="customer_detail"),
    path("classes/", academy.ClassListApi.as_view(), name="class_list"),
    path("classes/<int:class_id>/", academy.ClassDetailApi.as_view(), name="class_detail"),
    path("sessions/", academy.SessionListApi.as_view(), name="session_list"),
    path("sessions/<int:session_id>/roster/", academy.SessionRosterApi.as_view(), name="session_roster"),
    path("enrolments/", academy.EnrolmentCreateApi.as_view(), name="enrolment_create"),
    path("enrolments/<int:enrolment_id>/drop/", academy.EnrolmentDropApi.as_view(), name="enrolment_drop"),
    path("check-ins/", academy.CheckInCreateApi.as_view(), name="checkin_create"),
    # Memberships, packs, family accounts and payroll (api/academy_money.py)
    path("offers/", academy_money.OfferListApi.as_view(), name="offer_list"),
    path(
        "customers/<int:customer_id>/entitlements/",
        academy_money.StudentEntitlementListCreateApi.as_view(),
        name="entitlement_list",
    ),
    path("accounts/", academy_money.AccountListApi.as_view(), name="account_list"),
    # WhatsApp inbox (api/messaging.py)
    path("conversations/", messaging.ConversationListApi.as_view(), name="conversation_list"),
    path(
        "conversations/<int:conversation_id>/",
        messaging.ConversationDetailApi.as_view(),
        name="conversation_detail",
    ),
    path(
        "conversations/<int:conversation_id>/messages/",
        messaging.ConversationMessageListCreateApi.as_view(),
        name="conversation_messages",
    ),
    path("accounts/<str:account>/", academy_money.AccountDetailApi.as_view(), name="account_detail"),
    path("payments/", academy_money.PaymentCreateApi.as_view(), name="payment_create"),
    path(
        "payroll-statements/", academy_money.PayrollStatementListApi.as_view(), name="payroll_statement_list"
    ),
    # Payment links (api/payments.py)
    path("payment-links/", payments.PaymentLinkListCreateApi.as_view(), name="payment_link_list"),
    path("payment-links/<int:link_id>/", payments.PaymentLinkDetailApi.as_view(), name="payment_link_detail"),
    path(
        "payment-links/<int:link_id>/email/",
        payments.PaymentLinkEmailApi.as_view(),
        name="payment_link_email",
    ),
    path(
        "payment-links/<int:link_id>/cancel/",
        payments.PaymentLinkCancelApi.as_view(),
        name="payment_link_cancel",
    ),
]

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularRedocView.as_view(url_name="api:schema"), name="docs"),
    path("tokens/", web.api_tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", web.api_token_revoke_view, name="token_revoke_page"),
    # Anything else under /api/ (an unknown path, a non-numeric id) is a JSON 404, not an HTML page.
    re_path(r"^", views.api_not_found, name="not_found"),
]
