from django.urls import path

from payments import views

app_name = "payments"

urlpatterns = [
    path("payments/", views.link_list_view, name="links"),
    path("payments/new/", views.link_create_view, name="link_new"),
    path("payments/links/<int:link_id>/", views.link_view, name="link"),
    path("payments/links/<int:link_id>/email/", views.link_email_view, name="link_email"),
    path("payments/links/<int:link_id>/cancel/", views.link_cancel_view, name="link_cancel"),
    path("payments/providers/", views.providers_view, name="providers"),
    path("payments/providers/<str:provider>/", views.provider_save_view, name="provider_save"),
    path("payments/providers/<str:provider>/check/", views.provider_check_view, name="provider_check"),
    path(
        "payments/providers/<str:provider>/disconnect/",
        views.provider_disconnect_view,
        name="provider_disconnect",
    ),
    # The payer's page: no sign-in.
    path("pay/<str:token>/", views.pay_view, name="pay"),
    path("pay/<str:token>/go/", views.pay_go_view, name="pay_go"),
]
