from django.urls import path

from academy import views

app_name = "academy"

urlpatterns = [
    path("", views.academy_home_view, name="home"),
    path("timetable/", views.timetable_view, name="timetable"),
    path("classes/", views.class_list_view, name="class_list"),
    path("classes/new/", views.class_create_view, name="class_create"),
    path("classes/<int:class_id>/", views.class_detail_view, name="class_detail"),
    path("classes/<int:class_id>/enrol/", views.class_enrol_view, name="class_enrol"),
    path("enrolments/<int:enrolment_id>/drop/", views.enrolment_drop_view, name="enrolment_drop"),
    path("sessions/<int:session_id>/", views.session_roster_view, name="session_roster"),
    path("sessions/<int:session_id>/book/", views.session_book_view, name="session_book"),
    path("sessions/<int:session_id>/change/", views.session_change_view, name="session_change"),
    path("setup/", views.setup_view, name="setup"),
    path("holidays/", views.holiday_view, name="holidays"),
    path("students/<int:student_id>/card/", views.student_card_view, name="student_card"),
    path(
        "students/<int:student_id>/pass/rotate/", views.student_pass_rotate_view, name="student_pass_rotate"
    ),
    path(
        "students/<int:student_id>/pass/revoke/", views.student_pass_revoke_view, name="student_pass_revoke"
    ),
    path("students/<int:student_id>/pass/send/", views.student_pass_send_view, name="student_pass_send"),
    path("pass/<str:token>/", views.student_pass_page, name="student_pass_page"),
    path("checkin/", views.checkin_view, name="checkin"),
]
