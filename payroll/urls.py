from django.urls import path

from payroll import views

app_name = "payroll"

urlpatterns = [
    path("", views.statement_list_view, name="statements"),
    path("rules/", views.rule_list_view, name="rules"),
    path("profit/", views.profit_view, name="profit"),
    path("statements/<int:statement_id>/", views.statement_view, name="statement"),
    path("statements/<int:statement_id>/export/", views.statement_export_view, name="statement_export"),
    path("statements/<int:statement_id>/approve/", views.statement_approve_view, name="statement_approve"),
]
