"""/api/v1/conversations/: STAFF and up read and answer; a teacher's session, another workspace's
token or user find nothing."""

import pytest
from rest_framework.test import APIClient

from api.services import api_token_create
from messaging.models import Message
from messaging.services import inbound_store
from tests.api.conftest import enterprise
from tests.conftest import host_of, in_schema
from tests.messaging.conftest import CUSTOMER_WA_ID


@pytest.fixture
def conversation(connected, workspaces):
    enterprise(workspaces.alpha)
    from django.utils import timezone  # noqa: PLC0415

    raw = {
        "from": CUSTOMER_WA_ID,
        "id": "wamid.API1",
        "timestamp": str(int(timezone.now().timestamp())),
        "type": "text",
        "text": {"body": "¿Tienen bachata los martes?"},
    }
    return inbound_store(raw=raw, contact_name="Laura Gómez").conversation


def api(tenant, token=None) -> APIClient:
    client = APIClient(HTTP_HOST=host_of(tenant))
    if token:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def test_staff_reads_and_answers_through_the_api(alpha, conversation, staff, owner, admin):
    for user in (owner, admin, staff):
        token = api_token_create(user=user, name="inbox")[1]
        listed = api(alpha, token).get("/api/v1/conversations/", {"search": "gomez"})
        assert listed.status_code == 200, listed.content
        assert [row["customer_name"] for row in listed.json()["results"]] == ["Laura Gómez"]
    client = api(alpha, api_token_create(user=staff, name="desk")[1])
    detail = client.get(f"/api/v1/conversations/{conversation.pk}/").json()
    assert detail["window_open"] is True and detail["unread_count"] == 1
    messages = client.get(f"/api/v1/conversations/{conversation.pk}/messages/").json()["results"]
    assert [m["body"] for m in messages] == ["¿Tienen bachata los martes?"]
    sent = client.post(
        f"/api/v1/conversations/{conversation.pk}/messages/", {"body": "Sí, a las 19:00"}, format="json"
    )
    assert sent.status_code == 201 and sent.json()["status"] == "queued"
    note = client.post(
        f"/api/v1/conversations/{conversation.pk}/messages/",
        {"kind": "note", "body": "cliente nueva"},
        format="json",
    )
    assert note.status_code == 201 and note.json()["direction"] == "note"


def test_a_teacher_and_another_workspace_find_nothing(
    alpha, conversation, teacher_user, workspaces, beta_owner
):
    teacher = api(alpha)
    teacher.force_authenticate(teacher_user)
    assert teacher.get("/api/v1/conversations/").status_code == 403
    assert (
        teacher.post(f"/api/v1/conversations/{conversation.pk}/messages/", {"body": "x"}).status_code == 403
    )
    enterprise(workspaces.beta)
    with in_schema(workspaces.beta):
        beta_token = api_token_create(user=beta_owner, name="beta")[1]
    beta = api(workspaces.beta, beta_token)
    assert beta.get("/api/v1/conversations/").json()["results"] == []
    assert beta.get(f"/api/v1/conversations/{conversation.pk}/").status_code == 404
    answer = beta.post(f"/api/v1/conversations/{conversation.pk}/messages/", {"body": "hola"}, format="json")
    assert answer.status_code == 404
    # beta's token on alpha's host means nothing there
    assert api(alpha, beta_token).get("/api/v1/conversations/").status_code == 401
    with in_schema(workspaces.alpha):
        assert not Message.objects.filter(direction="out").exists()
