from django.urls import path

from fees import views

app_name = "fees"

urlpatterns = [
    path("", views.account_list_view, name="accounts"),
    path("accounts/<str:kind>/<int:account_id>/", views.account_view, name="account"),
    path("accounts/<str:kind>/<int:account_id>/credit-note/", views.credit_note_view, name="credit_note"),
    path("receipts/<int:number>/", views.receipt_view, name="receipt"),
    path("overdue/", views.overdue_view, name="overdue"),
    path("setup/", views.setup_view, name="setup"),
    path("reminders/stop/<str:token>/", views.unsubscribe_view, name="unsubscribe"),
]
