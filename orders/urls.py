"""The board and the ordering settings, under /orders/ (staff)."""

from django.urls import path

from orders import views

app_name = "orders"

urlpatterns = [
    path("", views.board, name="board"),
    path("board.json", views.board_json, name="board_json"),
    path("new/", views.order_create, name="create"),
    path("settings/", views.order_settings, name="settings"),
    path("locations/<int:location_id>/hours/", views.location_hours, name="location_hours"),
    path("<int:order_id>/", views.order_detail, name="detail"),
    path("<int:order_id>/move/", views.order_move, name="move"),
]
