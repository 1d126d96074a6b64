from django.urls import path

from messaging import views

app_name = "messaging"

urlpatterns = [
    path("", views.inbox_view, name="inbox"),
    path("settings/", views.settings_view, name="settings"),
    path("settings/disconnect/", views.disconnect_view, name="disconnect"),
    path("settings/save/", views.settings_save_view, name="settings_save"),
    path("settings/quick-replies/", views.quick_reply_add_view, name="quick_reply_add"),
    path("settings/templates/", views.template_add_view, name="template_add"),
    path("<int:conversation_id>/", views.conversation_view, name="conversation"),
    path("<int:conversation_id>/reply/", views.reply_view, name="reply"),
    path("<int:conversation_id>/template/", views.template_send_view, name="template_send"),
    path("<int:conversation_id>/note/", views.note_view, name="note"),
    path("<int:conversation_id>/assign/", views.assign_view, name="assign"),
    path("<int:conversation_id>/assistant/", views.assistant_resume_view, name="assistant_resume"),
]
