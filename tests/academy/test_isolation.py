"""Every academy route: anonymous visitors sign in first, another workspace's user finds nothing
(404), and a role without the permission is refused (403)."""

import pytest

from academy.models import Enrolment, Session
from academy.services import enrolment_create, student_pass_get_or_create, student_pass_token
from tests.academy.conftest import make_academy
from tests.academy.routes import assert_another_workspace_finds_nothing, assert_follows_the_role_table, url_of
from tests.conftest import in_schema
from tests.customers.fixtures import web_client


@pytest.fixture
def objects(make_class, make_student, site):
    academy_class = make_class()
    student = make_student()
    enrolment = enrolment_create(academy_class=academy_class, student=student)
    session = Session.objects.filter(academy_class=academy_class).first()
    return {
        "class": academy_class,
        "student": student,
        "enrolment": enrolment,
        "session": session,
        "site": site,
    }


# (method, url pattern, roles allowed among owner/admin/staff/teacher)
ROUTES = [
    ("get", "/academy/", {"owner", "admin", "staff", "teacher"}),
    ("get", "/academy/timetable/", {"owner", "admin", "staff", "teacher"}),
    ("get", "/academy/classes/", {"owner", "admin", "staff", "teacher"}),
    ("get", "/academy/classes/new/", {"owner", "admin"}),
    ("get", "/academy/classes/{class}/", {"owner", "admin", "staff", "teacher"}),
    ("post", "/academy/classes/{class}/enrol/", {"owner", "admin", "staff"}),
    ("post", "/academy/enrolments/{enrolment}/drop/", {"owner", "admin", "staff"}),
    ("get", "/academy/sessions/{session}/", {"owner", "admin", "staff", "teacher"}),
    ("post", "/academy/sessions/{session}/book/", {"owner", "admin", "staff"}),
    ("get", "/academy/sessions/{session}/change/", {"owner", "admin"}),
    ("get", "/academy/setup/", {"owner", "admin"}),
    ("get", "/academy/holidays/", {"owner", "admin"}),
    ("get", "/academy/students/{student}/card/", {"owner", "admin", "staff"}),
    ("post", "/academy/students/{student}/pass/rotate/", {"owner", "admin", "staff"}),
    ("post", "/academy/students/{student}/pass/revoke/", {"owner", "admin", "staff"}),
    ("post", "/academy/students/{student}/pass/send/", {"owner", "admin", "staff"}),
    ("get", "/academy/checkin/?site={site}", {"owner", "admin", "staff"}),
]


def call(client, method, url):
    return client.post(url) if method == "post" else client.get(url)


@pytest.mark.parametrize(("method", "pattern", "allowed"), ROUTES, ids=[r[1] for r in ROUTES])
def test_each_route_follows_the_role_table(
    client_for, academy, objects, owner, admin, staff, teacher_user, method, pattern, allowed
):
    url = url_of(pattern, objects)
    # the teacher of the class may see its roster; the other roles by the table
    users = {"owner": owner, "admin": admin, "staff": staff, "teacher": teacher_user}
    assert_follows_the_role_table(
        anonymous=client_for(academy),
        signed_in={role: web_client(client_for, academy, user) for role, user in users.items()},
        send=lambda client: call(client, method, url),
        allowed=allowed,
    )


@pytest.mark.parametrize(("method", "pattern", "allowed"), ROUTES, ids=[r[1] for r in ROUTES])
def test_another_workspaces_owner_finds_nothing(
    client_for, workspaces, objects, beta_owner, method, pattern, allowed
):
    url = url_of(pattern, objects)
    with in_schema(workspaces.beta):
        make_academy(workspaces.beta)
    response = call(web_client(client_for, workspaces.beta, beta_owner), method, url)
    assert_another_workspace_finds_nothing(response, pattern=pattern, hidden=objects["class"].name)
    with in_schema(workspaces.alpha):
        assert Enrolment.objects.filter(pk=objects["enrolment"].pk, status="active").exists()


def test_a_students_qr_page_opens_only_on_its_own_academy(client_for, workspaces, objects):
    token = student_pass_token(student_pass=student_pass_get_or_create(student=objects["student"]))

    assert client_for(workspaces.alpha).get(f"/academy/pass/{token}/").status_code == 200
    assert client_for(workspaces.beta).get(f"/academy/pass/{token}/").status_code == 404
    assert client_for(workspaces.alpha).get(f"/academy/pass/{token[:-3]}abc/").status_code == 404
