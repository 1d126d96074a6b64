"""The inbox and the WhatsApp settings through the screens: the role table, another workspace,
replies inside the 24-hour window and templates outside it, notes, assignment, search, unread."""

from datetime import timedelta

import pytest
from django.utils import timezone

from messaging.models import Conversation, Message, MessageTemplate, WhatsAppAccount
from messaging.services import account_connect, inbound_store, message_deliver
from tests.academy.routes import assert_another_workspace_finds_nothing, assert_follows_the_role_table, url_of
from tests.conftest import in_schema
from tests.customers.fixtures import web_client
from tests.messaging.conftest import ALPHA_NUMBER_ID, CUSTOMER_WA_ID


def inbound(
    text: str, wamid: str, *, wa_id: str = CUSTOMER_WA_ID, name: str = "Laura Gómez", at=None
) -> Message:
    at = at or timezone.now()
    return inbound_store(
        raw={
            "from": wa_id,
            "id": wamid,
            "timestamp": str(int(at.timestamp())),
            "type": "text",
            "text": {"body": text},
        },
        contact_name=name,
    )


@pytest.fixture
def conversation(connected) -> Conversation:
    return inbound("¿Tienen clases de bachata?", "wamid.INBOX1").conversation


@pytest.fixture
def objects(conversation):
    return {"conversation": conversation}


ROUTES = [
    ("get", "/inbox/", {"owner", "admin", "staff"}),
    ("get", "/inbox/{conversation}/", {"owner", "admin", "staff"}),
    ("post", "/inbox/{conversation}/reply/", {"owner", "admin", "staff"}),
    ("post", "/inbox/{conversation}/template/", {"owner", "admin", "staff"}),
    ("post", "/inbox/{conversation}/note/", {"owner", "admin", "staff"}),
    ("post", "/inbox/{conversation}/assign/", {"owner", "admin", "staff"}),
    ("post", "/inbox/{conversation}/assistant/", {"owner", "admin", "staff"}),
    ("get", "/inbox/settings/", {"owner", "admin"}),
    ("post", "/inbox/settings/save/", {"owner", "admin"}),
    ("post", "/inbox/settings/quick-replies/", {"owner", "admin"}),
    ("post", "/inbox/settings/templates/", {"owner", "admin"}),
    ("post", "/inbox/settings/disconnect/", {"owner", "admin"}),
]


def call(client, method, url):
    return client.post(url) if method == "post" else client.get(url)


def snapshot():
    return (Message.objects.count(), WhatsAppAccount.objects.count(), MessageTemplate.objects.count())


@pytest.mark.parametrize(("method", "pattern", "allowed"), ROUTES, ids=[r[1] + r[0] for r in ROUTES])
def test_each_route_follows_the_role_table(
    client_for, alpha, objects, owner, admin, staff, teacher_user, method, pattern, allowed
):
    url = url_of(pattern, objects)
    users = {"teacher": teacher_user, "staff": staff, "admin": admin, "owner": owner}
    assert_follows_the_role_table(
        anonymous=client_for(alpha),
        signed_in={role: web_client(client_for, alpha, user) for role, user in users.items()},
        send=lambda client: call(client, method, url),
        allowed=allowed,
        snapshot=snapshot,
    )


# Routes naming a conversation, and the pages: the settings' POSTs act on beta's own settings.
ELSEWHERE = [route for route in ROUTES if "{" in route[1] or route[0] == "get"]


@pytest.mark.parametrize(("method", "pattern", "allowed"), ELSEWHERE, ids=[r[1] + r[0] for r in ELSEWHERE])
def test_another_workspaces_owner_finds_nothing(
    client_for, workspaces, objects, beta_owner, method, pattern, allowed
):
    url = url_of(pattern, objects)
    response = call(web_client(client_for, workspaces.beta, beta_owner), method, url)
    assert_another_workspace_finds_nothing(response, pattern=pattern, hidden="Laura Gómez")
    with in_schema(workspaces.alpha):
        assert Message.objects.filter(direction__in=["out", "note"]).count() == 0
        assert WhatsAppAccount.objects.filter(phone_number_id=ALPHA_NUMBER_ID).exists()


def test_a_reply_inside_the_window_is_queued_and_sent_by_the_task(
    client_for, alpha, conversation, staff, graph
):
    client = web_client(client_for, alpha, staff)
    page = client.get(f"/inbox/{conversation.pk}/")
    assert 'data-testid="reply-form"' in page.text and "¿Tienen clases de bachata?" in page.text
    response = client.post(f"/inbox/{conversation.pk}/reply/", {"body": "¡Sí! Martes y jueves a las 19:00."})
    assert response.status_code == 302
    reply = Message.objects.get(direction="out", author=staff)
    assert reply.status == "queued"
    message_deliver(message_id=reply.pk)
    reply.refresh_from_db()
    assert reply.status == "sent"
    assert graph.sent()[-1] == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": CUSTOMER_WA_ID,
        "type": "text",
        "text": {"preview_url": False, "body": "¡Sí! Martes y jueves a las 19:00."},
    }


def test_outside_the_window_only_an_approved_template_goes_out(client_for, alpha, connected, staff, graph):
    old = inbound("hola", "wamid.OLD1", at=timezone.now() - timedelta(hours=30)).conversation
    template = MessageTemplate.objects.create(
        name="seguimiento", language="es", body="Hola {{1}}, ¿seguimos?"
    )
    client = web_client(client_for, alpha, staff)
    assert 'data-testid="template-form"' in client.get(f"/inbox/{old.pk}/").text
    client.post(f"/inbox/{old.pk}/reply/", {"body": "¿Sigues interesada?"})
    assert not Message.objects.filter(direction="out").exists()
    # consent first: the template is refused without it
    client.post(f"/inbox/{old.pk}/template/", {"template": template.pk, "params": "Laura"})
    assert not Message.objects.filter(direction="out").exists()
    old.customer.whatsapp_consent = True
    old.customer.save(update_fields=["whatsapp_consent"])
    client.post(f"/inbox/{old.pk}/template/", {"template": template.pk, "params": "Laura"})
    sent = Message.objects.get(direction="out")
    assert sent.body == "Hola Laura, ¿seguimos?" and sent.kind == "template"
    message_deliver(message_id=sent.pk)
    assert graph.sent()[-1]["template"] == {
        "name": "seguimiento",
        "language": {"code": "es"},
        "components": [{"type": "body", "parameters": [{"type": "text", "text": "Laura"}]}],
    }


def test_notes_assignment_unread_counts_and_search(client_for, alpha, conversation, staff, admin):
    inbound("Y también salsa", "wamid.INBOX2")
    inbound("Hola, soy Andrés", "wamid.INBOX3", wa_id="573009998877", name="Andrés Núñez")
    client = web_client(client_for, alpha, staff)
    inbox = client.get("/inbox/")
    assert 'data-testid="unread-total">3<' in inbox.text
    assert client.get("/inbox/", {"q": "nunez"}).text.count('data-testid="conversation-row"') == 1
    assert "Laura Gómez" in client.get("/inbox/", {"q": "BACHATA"}).text
    client.get(f"/inbox/{conversation.pk}/")  # opening it reads it
    assert client.get("/inbox/", {"unread": "1"}).text.count('data-testid="conversation-row"') == 1
    client.post(f"/inbox/{conversation.pk}/note/", {"body": "Pregunta por bachata los martes"})
    client.post(f"/inbox/{conversation.pk}/assign/", {"assignee": admin.pk})
    conversation.refresh_from_db()
    assert conversation.assigned_to == admin
    note = Message.objects.get(direction="note")
    assert note.author == staff and note.wamid is None
    mine = web_client(client_for, alpha, admin).get("/inbox/", {"mine": "1"})
    assert "Laura Gómez" in mine.text and "Andrés Núñez" not in mine.text


def test_connecting_checks_the_token_with_meta_and_never_shows_it_again(
    client_for, alpha, owner, graph, whatsapp_settings
):
    client = web_client(client_for, alpha, owner)
    refused = client.post(
        "/inbox/settings/",
        {
            "action": "connect",
            "phone_number_id": ALPHA_NUMBER_ID,
            "business_account_id": "1022",
            "access_token": "bad",
        },
    )
    assert refused.status_code == 200 and "Invalid OAuth access token." in refused.text
    assert not WhatsAppAccount.objects.exists()
    client.post(
        "/inbox/settings/",
        {
            "action": "connect",
            "phone_number_id": ALPHA_NUMBER_ID,
            "business_account_id": "1022",
            "access_token": "good-token",
        },
    )
    account = WhatsAppAccount.objects.get()
    assert account.display_phone_number == "+57 300 555 0101" and account.access_token == "good-token"
    page = client.get("/inbox/settings/")
    assert "good-token" not in page.text
    assert "http://localhost/whatsapp/webhook/" in page.text or "/whatsapp/webhook/" in page.text
    assert "verify-me-please" in page.text
    from django.db import connection  # noqa: PLC0415  (the raw column, as stored)

    with connection.cursor() as cursor:
        cursor.execute("SELECT access_token FROM messaging_whatsappaccount")
        stored = cursor.fetchone()[0]
    assert "good-token" not in stored


def test_a_number_connected_to_one_workspace_is_refused_to_another(alpha, connected, workspaces, beta_owner):
    from whatsapp_routes.exceptions import NumberTakenElsewhere  # noqa: PLC0415

    with in_schema(workspaces.beta), pytest.raises(NumberTakenElsewhere):
        account_connect(
            phone_number_id=ALPHA_NUMBER_ID,
            business_account_id="1",
            access_token="good-token",
            user=beta_owner,
        )
