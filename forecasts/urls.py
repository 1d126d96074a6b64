from django.urls import path

from forecasts import views

app_name = "forecasts"

urlpatterns = [
    path("", views.suggestion_list, name="suggestions"),
    path("order/", views.suggestion_order, name="order"),
    path("run/", views.run_start, name="run"),
    path("run/progress/", views.run_progress, name="progress"),
    path("accuracy/", views.accuracy, name="accuracy"),
    path("products/<str:product_id>/<str:location_id>/", views.product_chart, name="chart"),
]
