"""The team: invitations, roles, deactivation (workspace subdomain)."""

from django.urls import path

from team import views

app_name = "team"

urlpatterns = [
    path("", views.team, name="team"),
    path("invitations/", views.invitation_create_view, name="invitation_create"),
    path("invitations/<int:invitation_id>/resend/", views.invitation_resend_view, name="invitation_resend"),
    path("invitations/<int:invitation_id>/revoke/", views.invitation_revoke_view, name="invitation_revoke"),
    path("members/<int:user_id>/role/", views.user_role_change_view, name="user_role_change"),
    path("members/<int:user_id>/deactivate/", views.user_deactivate_view, name="user_deactivate"),
    path("join/<str:token>/", views.invitation_accept_view, name="invitation_accept"),
    path("welcome/<str:token>/", views.login_link, name="login_link"),
]
