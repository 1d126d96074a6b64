from django.urls import path

from memberships import views

app_name = "memberships"

urlpatterns = [
    path("offers/", views.offer_list_view, name="offer_list"),
    path("offers/<int:offer_id>/deactivate/", views.offer_deactivate_view, name="offer_deactivate"),
    path("students/", views.student_search_view, name="student_search"),
    path("students/<int:student_id>/", views.student_view, name="student"),
    path(
        "entitlements/<int:entitlement_id>/freeze/", views.entitlement_freeze_view, name="entitlement_freeze"
    ),
]
