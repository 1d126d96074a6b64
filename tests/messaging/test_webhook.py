"""The one platform webhook: Meta's challenge, the signature, storing once and in order, statuses
that never go backwards, and entries that never cross workspaces."""

import json

import pytest

from customers.models import Customer
from messaging.models import Conversation, Message
from messaging.services import account_connect, message_deliver
from tests.conftest import in_schema
from tests.messaging.conftest import (
    ALPHA_NUMBER_ID,
    BETA_NUMBER_ID,
    CUSTOMER_WA_ID,
    VERIFY_TOKEN,
    envelope,
    post_webhook,
    sign,
    status_update,
    text_message,
)


def test_meta_challenge_is_answered_only_with_the_verify_token(public_client, whatsapp_settings):
    ok = public_client.get(
        "/whatsapp/webhook/",
        {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158201444"},
    )
    assert ok.status_code == 200 and ok.content == b"1158201444"
    wrong = public_client.get(
        "/whatsapp/webhook/",
        {"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1158201444"},
    )
    assert wrong.status_code == 403 and b"1158201444" not in wrong.content


def test_a_bad_signature_is_refused_and_nothing_is_stored(public_client, connected, workspaces):
    payload = text_message("hola", wamid="wamid.BAD1")
    body = json.dumps(payload).encode()
    assert post_webhook(public_client, payload, signature=sign(body, "not-the-secret")).status_code == 403
    assert post_webhook(public_client, payload, signature="").status_code == 403
    tampered = public_client.post(
        "/whatsapp/webhook/",
        data=body.replace(b"hola", b"adios"),
        content_type="application/json",
        HTTP_X_HUB_SIGNATURE_256=sign(body),
    )
    assert tampered.status_code == 403
    with in_schema(workspaces.alpha):
        assert not Message.objects.exists()
        assert not Customer.objects.filter(phone=f"+{CUSTOMER_WA_ID}").exists()


def test_a_message_is_stored_once_its_sender_becomes_a_customer_and_a_reply_is_queued(
    public_client, connected, workspaces, django_capture_on_commit_callbacks
):
    payload = text_message("Hola, buenas tardes", wamid="wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUZCMTY0")
    with django_capture_on_commit_callbacks() as callbacks:
        first = post_webhook(public_client, payload)
    replay = post_webhook(public_client, payload)
    assert first.json() == {"stored": 1} and replay.json() == {"stored": 0}
    with in_schema(workspaces.alpha):
        customer = Customer.objects.get(phone=f"+{CUSTOMER_WA_ID}")
        assert customer.full_name == "Laura Gómez" and "whatsapp" in customer.tags
        conversation = Conversation.objects.get(customer=customer)
        assert conversation.unread_count == 1
        inbound = Message.objects.filter(direction="in")
        assert [m.body for m in inbound] == ["Hola, buenas tardes"]
        reply = Message.objects.get(direction="out")
        assert reply.status == "queued" and reply.from_assistant
    assert len(callbacks) == 1  # the send task, after the commit


def test_messages_of_one_delivery_are_stored_in_the_order_they_were_written(
    public_client, connected, workspaces
):
    later = text_message("segundo", wamid="wamid.B2", timestamp=1_764_680_050)["entry"][0]["changes"][0][
        "value"
    ]
    earlier = text_message("primero", wamid="wamid.B1", timestamp=1_764_680_010)["entry"][0]["changes"][0][
        "value"
    ]
    payload = envelope(
        ALPHA_NUMBER_ID, {"contacts": later["contacts"], "messages": later["messages"] + earlier["messages"]}
    )
    assert post_webhook(public_client, payload).json() == {"stored": 2}
    with in_schema(workspaces.alpha):
        conversation = Conversation.objects.get()
        bodies = [m.body for m in conversation.messages.filter(direction="in").order_by("sent_at", "pk")]
        assert bodies == ["primero", "segundo"]


def test_statuses_move_forward_only_whatever_order_they_arrive_in(
    public_client, connected, graph, workspaces
):
    post_webhook(public_client, text_message("hola", wamid="wamid.S1"))
    with in_schema(workspaces.alpha):
        reply = Message.objects.get(direction="out")
        message_deliver(message_id=reply.pk)
        reply.refresh_from_db()
    assert reply.status == "sent" and reply.wamid.startswith("wamid.OUT")
    assert graph.sent()[-1]["to"] == CUSTOMER_WA_ID
    for status in ("read", "delivered", "sent", "failed"):
        assert post_webhook(public_client, status_update(reply.wamid, status)).status_code == 200
    with in_schema(workspaces.alpha):
        reply.refresh_from_db()
        assert reply.status == "read"


def test_a_failed_send_is_recorded_with_metas_reason(public_client, connected, graph, workspaces):
    post_webhook(public_client, text_message("hola", wamid="wamid.F1"))
    with in_schema(workspaces.alpha):
        reply = Message.objects.get(direction="out")
        message_deliver(message_id=reply.pk)
        reply.refresh_from_db()
    post_webhook(public_client, status_update(reply.wamid, "failed"))
    with in_schema(workspaces.alpha):
        reply.refresh_from_db()
        assert reply.status == "failed" and reply.error == "Re-engagement message"


def test_another_workspaces_number_never_reaches_this_workspace(
    public_client, connected, graph, workspaces, beta_owner
):
    unknown = text_message("hola", wamid="wamid.X1", phone_number_id=BETA_NUMBER_ID)
    assert post_webhook(public_client, unknown).json() == {"stored": 0}
    with in_schema(workspaces.beta):
        account_connect(
            phone_number_id=BETA_NUMBER_ID,
            business_account_id="555",
            access_token="good-token",
            user=beta_owner,
        )
    assert post_webhook(
        public_client, text_message("hola beta", wamid="wamid.X2", phone_number_id=BETA_NUMBER_ID)
    )
    # a status for alpha's message id sent through beta's number changes nothing in alpha
    post_webhook(public_client, text_message("hola alpha", wamid="wamid.X3"))
    with in_schema(workspaces.alpha):
        alpha_reply = Message.objects.filter(direction="out").order_by("-pk").first()
        message_deliver(message_id=alpha_reply.pk)
        alpha_reply.refresh_from_db()
    post_webhook(public_client, status_update(alpha_reply.wamid, "read", phone_number_id=BETA_NUMBER_ID))
    with in_schema(workspaces.alpha):
        assert list(Message.objects.filter(direction="in").values_list("body", flat=True)) == ["hola alpha"]
        alpha_reply.refresh_from_db()
        assert alpha_reply.status == "sent"
    with in_schema(workspaces.beta):
        assert list(Message.objects.filter(direction="in").values_list("body", flat=True)) == ["hola beta"]


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[]",
        b'{"object": "whatsapp_business_account", "entry": "x"}',
        b'{"object": "whatsapp_business_account", "entry": [{"changes": [{"field": "messages", "value": 7}]}]}',  # noqa: E501
        json.dumps(
            envelope(
                ALPHA_NUMBER_ID, {"messages": [{"from": "57", "timestamp": "soon", "type": "text"}, "x"]}
            )
        ).encode(),
    ],
)
def test_signed_junk_is_refused_or_ignored_never_a_server_error(public_client, connected, workspaces, body):
    response = public_client.post(
        "/whatsapp/webhook/", data=body, content_type="application/json", HTTP_X_HUB_SIGNATURE_256=sign(body)
    )
    assert response.status_code in (200, 400)
    with in_schema(workspaces.alpha):
        assert not Message.objects.exists()
