"""Writes of messaging: connecting the number, storing what the webhook brings, queueing what goes
out, the inbox's actions, consent, and the retention purge. Each function owns its transaction;
sending happens in a Celery task (``messaging.tasks.message_send_task``) after the commit."""

from datetime import UTC, datetime, timedelta

from celery import current_app
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from customers.models import Customer
from customers.services import CustomerInput, customer_create
from messaging.exceptions import GraphError, InvalidCredentials, NoConsent, NotConnected, OutsideWindow
from messaging.graph import GraphClient
from messaging.models import (
    STATUS_RANK,
    ConsentRecord,
    Conversation,
    ConversationMonth,
    Message,
    MessageTemplate,
    QuickReply,
    WhatsAppAccount,
)
from messaging.selectors import (
    account_get,
    consent_given,
    conversations_this_month,
    current_workspace,
    month_start,
    window_open,
)
from plans.limits import plan_limit_check
from whatsapp_routes.services import route_clear, route_set

SEND_TASK = "messaging.tasks.message_send_task"
OPT_OUT_WORDS = {"stop", "baja", "unsubscribe", "cancelar suscripcion", "darme de baja"}
OPT_IN_WORDS = {"start", "alta", "suscribir"}


# --- Connect ------------------------------------------------------------------------------------


def account_connect(
    *, phone_number_id: str, business_account_id: str, access_token: str, user, request=None
) -> WhatsAppAccount:
    """Connect (or replace) the workspace's number after Meta confirms the id and the token.

    The token is stored encrypted and never shown again; the public routing table points the
    number's webhooks at this workspace.
    """
    phone_number_id = "".join((phone_number_id or "").split())
    business_account_id = "".join((business_account_id or "").split())
    access_token = (access_token or "").strip()
    if not (phone_number_id.isdigit() and business_account_id.isdigit() and access_token):
        raise InvalidCredentials(
            _("Enter the phone number ID, the business account ID (digits) and the token.")
        )
    try:
        with GraphClient(phone_number_id=phone_number_id, access_token=access_token) as client:
            info = client.number_info()
    except GraphError as error:
        raise InvalidCredentials(
            _("Meta refused these details: %(reason)s") % {"reason": error.message}
        ) from error
    tenant = current_workspace()
    with transaction.atomic():
        route_set(tenant=tenant, phone_number_id=phone_number_id)
        account = WhatsAppAccount.objects.select_for_update().first() or WhatsAppAccount()
        account.phone_number_id = phone_number_id
        account.business_account_id = business_account_id
        account.access_token = access_token
        account.display_phone_number = info.display_phone_number[:32]
        account.verified_name = info.verified_name[:160]
        account.connected_by = user
        account.save()
        audit_record(
            action="whatsapp.connected",
            actor=user,
            request=request,
            target=account.display_phone_number or phone_number_id,
            data={"phone_number_id": phone_number_id},
        )
    return account


def account_disconnect(*, user, request=None) -> None:
    """Forget the number and its token; conversations stay (the retention purge takes them)."""
    with transaction.atomic():
        account = WhatsAppAccount.objects.select_for_update().first()
        if account is None:
            return
        route_clear(tenant=current_workspace())
        account.delete()
        audit_record(
            action="whatsapp.disconnected", actor=user, request=request, target=account.phone_number_id
        )


def account_settings_update(
    *, retention_months: int, quiet_from, quiet_until, reminders_per_hour: int, assistant_enabled: bool, user
) -> WhatsAppAccount:
    with transaction.atomic():
        account = WhatsAppAccount.objects.select_for_update().first()
        if account is None:
            raise NotConnected()
        account.retention_months = max(1, int(retention_months))
        account.quiet_from, account.quiet_until = quiet_from, quiet_until
        account.reminders_per_hour = max(1, int(reminders_per_hour))
        account.assistant_enabled = bool(assistant_enabled)
        account.save(
            update_fields=[
                "retention_months",
                "quiet_from",
                "quiet_until",
                "reminders_per_hour",
                "assistant_enabled",
                "updated_at",
            ]
        )
        audit_record(action="whatsapp.settings_changed", actor=user, target=str(account))
    return account


# --- Conversations and customers ----------------------------------------------------------------


def _digits(value: str) -> str:
    return "".join(ch for ch in str(value or "") if ch.isdigit())[:20]


def conversation_for_number(*, wa_id: str, name: str = "") -> Conversation:
    """The conversation with the WhatsApp user ``wa_id``; an unknown number becomes a customer."""
    wa_id = _digits(wa_id)
    conversation = Conversation.objects.select_related("customer").filter(wa_id=wa_id).first()
    if conversation is not None:
        return conversation
    phone = f"+{wa_id}"
    customer = Customer.objects.filter(phone=phone).order_by("pk").first()
    if customer is None:
        try:
            customer = customer_create(
                data=CustomerInput(
                    full_name=(name or "").strip()[:150] or phone,
                    phone=phone,
                    tags=["whatsapp"],
                ),
                allow_duplicate=True,
            )
        except ValidationError:  # a number the phone library does not know: keep it off the card
            customer = customer_create(
                data=CustomerInput(full_name=(name or "").strip()[:150] or phone, tags=["whatsapp"]),
                allow_duplicate=True,
            )
    try:
        with transaction.atomic():
            return Conversation.objects.create(customer=customer, wa_id=wa_id)
    except IntegrityError:  # the same new number wrote twice at once
        found = Conversation.objects.select_related("customer").filter(wa_id=wa_id).first()
        return found or Conversation.objects.select_related("customer").get(customer=customer)


def conversation_for_customer(*, customer: Customer) -> Conversation | None:
    """The customer's conversation (started from our side for a reminder); None without a phone."""
    existing = Conversation.objects.filter(customer=customer).first()
    if existing is not None:
        return existing
    wa_id = _digits(customer.phone)
    if not wa_id:
        return None
    try:
        with transaction.atomic():
            return Conversation.objects.create(customer=customer, wa_id=wa_id)
    except IntegrityError:
        return Conversation.objects.filter(wa_id=wa_id).first()


def _plan():
    return getattr(current_workspace(), "plan", None)


def conversation_count_month(*, conversation: Conversation) -> None:
    """Count the conversation in this month's usage, or raise PlanLimitReached (with the way up)."""
    month = month_start()
    if ConversationMonth.objects.filter(conversation=conversation, month=month).exists():
        return
    plan_limit_check(plan=_plan(), resource="conversations_per_month", current=conversations_this_month())
    ConversationMonth.objects.get_or_create(conversation=conversation, month=month)


def conversation_assign(*, conversation: Conversation, assignee, user, request=None) -> Conversation:
    Conversation.objects.filter(pk=conversation.pk).update(assigned_to=assignee, updated_at=timezone.now())
    audit_record(
        action="whatsapp.assigned",
        actor=user,
        request=request,
        target=str(conversation.customer),
        data={"conversation_id": conversation.pk, "assignee_id": getattr(assignee, "pk", None)},
    )
    conversation.refresh_from_db()
    return conversation


def conversation_mark_read(*, conversation: Conversation) -> None:
    Conversation.objects.filter(pk=conversation.pk).update(unread_count=0)
    conversation.unread_count = 0


def conversation_handover(*, conversation: Conversation) -> Conversation:
    """A person takes the conversation: the assistant stops answering in it."""
    now = timezone.now()
    Conversation.objects.filter(pk=conversation.pk, handed_over_at__isnull=True).update(
        handed_over_at=now, assistant_state={}
    )
    conversation.refresh_from_db()
    return conversation


def conversation_resume_assistant(*, conversation: Conversation, user) -> Conversation:
    Conversation.objects.filter(pk=conversation.pk).update(handed_over_at=None, assistant_state={})
    audit_record(action="whatsapp.assistant_resumed", actor=user, target=str(conversation.customer))
    conversation.refresh_from_db()
    return conversation


# --- Consent --------------------------------------------------------------------------------------


def consent_record(*, customer: Customer, opted_in: bool, source: str, user=None) -> ConsentRecord:
    """Record a yes or a no to WhatsApp messages; it counts from now on (reminders check it)."""
    record = ConsentRecord.objects.create(
        customer=customer,
        choice=ConsentRecord.Choice.OPT_IN if opted_in else ConsentRecord.Choice.OPT_OUT,
        source=source[:40],
        recorded_by=user,
        recorded_at=timezone.now(),
    )
    audit_record(
        action="whatsapp.consent_in" if opted_in else "whatsapp.consent_out",
        actor=user,
        target=customer.full_name,
        data={"customer_id": customer.pk, "source": record.source},
    )
    return record


# --- Outgoing -------------------------------------------------------------------------------------


def _queue(message: Message) -> None:
    message_id = message.pk
    transaction.on_commit(lambda: current_app.send_task(SEND_TASK, args=[message_id]))


def message_queue(
    *,
    conversation: Conversation,
    body: str,
    kind: str = Message.Kind.TEXT,
    payload: dict | None = None,
    author=None,
    from_assistant: bool = False,
) -> Message:
    """Store an outgoing message as queued and send it after the commit (Celery)."""
    now = timezone.now()
    message = Message.objects.create(
        conversation=conversation,
        direction=Message.Direction.OUT,
        kind=kind,
        body=body,
        payload=payload or {},
        status=Message.Status.QUEUED,
        status_rank=STATUS_RANK[Message.Status.QUEUED],
        author=author,
        from_assistant=from_assistant,
        sent_at=now,
    )
    Conversation.objects.filter(pk=conversation.pk).update(last_message_at=now)
    _queue(message)
    return message


def reply_send(*, conversation: Conversation, body: str, user, request=None) -> Message:
    """A person's free-form reply: only inside the 24-hour window, counted in the plan."""
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a message.")})
    if account_get() is None:
        raise NotConnected()
    if not window_open(conversation):
        raise OutsideWindow()
    with transaction.atomic():
        conversation_count_month(conversation=conversation)
        message = message_queue(conversation=conversation, body=body[:4096], author=user)
        Conversation.objects.filter(pk=conversation.pk).update(unread_count=0)
    return message


def template_send(
    *, conversation: Conversation, template: MessageTemplate, params: list[str], user=None, request=None
) -> Message:
    """An approved template: the way to write outside the 24-hour window (consent required)."""
    if account_get() is None:
        raise NotConnected()
    if not consent_given(conversation.customer):
        raise NoConsent()
    with transaction.atomic():
        conversation_count_month(conversation=conversation)
        return message_queue(
            conversation=conversation,
            body=template.render(params),
            kind=Message.Kind.TEMPLATE,
            payload={
                "template": template.name,
                "language": template.language,
                "params": [str(p) for p in params],
            },
            author=user,
        )


def note_add(*, conversation: Conversation, body: str, user) -> Message:
    """An internal note: seen by the team, never sent."""
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a note.")})
    return Message.objects.create(
        conversation=conversation,
        direction=Message.Direction.NOTE,
        body=body[:4096],
        status=Message.Status.RECEIVED,
        author=user,
        sent_at=timezone.now(),
    )


def quick_reply_create(*, title: str, body: str, user) -> QuickReply:
    title, body = (title or "").strip()[:60], (body or "").strip()
    if not title or not body:
        raise ValidationError(_("A quick reply needs a title and a text."))
    reply, _created = QuickReply.objects.update_or_create(title=title, defaults={"body": body})
    return reply


def template_create(*, name: str, language: str, body: str, purpose: str = "", user=None) -> MessageTemplate:
    name = (name or "").strip()[:120]
    if not name or not (body or "").strip():
        raise ValidationError(_("A template needs its name as approved by Meta and its text."))
    template, _created = MessageTemplate.objects.update_or_create(
        name=name,
        language=(language or "es")[:8],
        defaults={"body": body.strip(), "purpose": (purpose or "")[:40], "is_approved": True},
    )
    return template


def message_deliver(*, message_id: int) -> Message | None:
    """Send one queued message through the Graph API (the task's body; safe to run twice)."""
    message = Message.objects.select_related("conversation").filter(pk=message_id).first()
    if (
        message is None
        or message.status != Message.Status.QUEUED
        or message.direction != Message.Direction.OUT
    ):
        return message
    account = account_get()
    if account is None:
        return _failed(message, _("No WhatsApp number is connected."))
    to = message.conversation.wa_id
    try:
        with GraphClient(
            phone_number_id=account.phone_number_id, access_token=account.access_token
        ) as client:
            if message.kind == Message.Kind.TEMPLATE:
                wamid = client.send_template(
                    to=to,
                    name=message.payload.get("template", ""),
                    language=message.payload.get("language", "es"),
                    params=message.payload.get("params", []),
                )
            elif message.kind == Message.Kind.INTERACTIVE:
                wamid = client.send_interactive(to=to, interactive=message.payload["interactive"])
            else:
                wamid = client.send_text(to=to, body=message.body)
    except GraphError as error:
        if error.retry:
            raise
        return _failed(message, error.message)
    rank = STATUS_RANK[Message.Status.SENT]
    Message.objects.filter(pk=message.pk, status=Message.Status.QUEUED).update(
        wamid=wamid, status=Message.Status.SENT, status_rank=rank, updated_at=timezone.now()
    )
    message.refresh_from_db()
    return message


def _failed(message: Message, reason: str) -> Message:
    Message.objects.filter(pk=message.pk).update(
        status=Message.Status.FAILED, status_rank=STATUS_RANK[Message.Status.FAILED], error=str(reason)[:300]
    )
    message.refresh_from_db()
    return message


# --- Incoming (the webhook, in the workspace's schema) -------------------------------------------


def _when(timestamp) -> datetime:
    try:
        return datetime.fromtimestamp(int(timestamp), tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return timezone.now()


def _text_of(raw: dict) -> tuple[str, str, dict]:
    """(kind, text, payload) of an inbound message in Meta's shapes."""
    kind = raw.get("type", "")
    if kind == "text":
        return Message.Kind.TEXT, str(raw.get("text", {}).get("body", ""))[:4096], {}
    if kind == "interactive":
        interactive = raw.get("interactive", {}) or {}
        reply = interactive.get("button_reply") or interactive.get("list_reply") or {}
        return (
            Message.Kind.INTERACTIVE,
            str(reply.get("title", ""))[:4096],
            {"reply_id": str(reply.get("id", ""))[:200], "reply_type": interactive.get("type", "")},
        )
    if kind == "button":  # a quick-reply button of a template
        button = raw.get("button", {}) or {}
        return (
            Message.Kind.INTERACTIVE,
            str(button.get("text", ""))[:4096],
            {"reply_id": str(button.get("payload", ""))[:200], "reply_type": "button"},
        )
    return Message.Kind.OTHER, "", {"type": str(kind)[:40]}


def inbound_store(*, raw: dict, contact_name: str = "") -> Message | None:
    """Store one message from the customer once (by its wamid); None when it was already stored."""
    wamid = str(raw.get("id", ""))[:160]
    if not wamid or Message.objects.filter(wamid=wamid).exists():
        return None
    conversation = conversation_for_number(wa_id=raw.get("from", ""), name=contact_name)
    kind, text, payload = _text_of(raw)
    at = _when(raw.get("timestamp"))
    try:
        with transaction.atomic():
            message = Message.objects.create(
                conversation=conversation,
                wamid=wamid,
                direction=Message.Direction.IN,
                kind=kind,
                body=text,
                payload=payload,
                status=Message.Status.RECEIVED,
                sent_at=at,
            )
    except IntegrityError:  # the same delivery arriving twice at once
        return None
    Conversation.objects.filter(pk=conversation.pk).update(
        unread_count=F("unread_count") + 1, last_message_at=timezone.now(), last_inbound_at=at
    )
    conversation.refresh_from_db()
    message.conversation = conversation
    return message


def status_apply(*, wamid: str, status: str, timestamp=None, error: str = "") -> bool:
    """Move an outgoing message's status forward (never back: Meta may send them out of order)."""
    if status not in (
        Message.Status.SENT,
        Message.Status.DELIVERED,
        Message.Status.READ,
        Message.Status.FAILED,
    ):
        return False
    rank = STATUS_RANK[status]
    changes = {"status": status, "status_rank": rank, "updated_at": timezone.now()}
    if error:
        changes["error"] = error[:300]
    updated = Message.objects.filter(
        wamid=str(wamid)[:160], direction=Message.Direction.OUT, status_rank__lt=rank
    ).update(**changes)
    return bool(updated)


# --- Data rights ----------------------------------------------------------------------------------


def messages_purge(*, now=None) -> int:
    """Delete messages older than the workspace's retention (default 12 months); safe to run twice."""
    account = account_get()
    months = account.retention_months if account else 12
    cutoff = (now or timezone.now()) - timedelta(days=30 * months)
    deleted, _details = Message.objects.filter(sent_at__lt=cutoff).delete()
    return deleted


def customer_messages_erase(*, customer: Customer, user=None) -> int:
    """Remove everything said with a customer (their right to erasure); the customer row stays."""
    with transaction.atomic():
        deleted, _details = Conversation.objects.filter(customer=customer).delete()
        audit_record(
            action="whatsapp.erased", actor=user, target=customer.full_name, data={"customer_id": customer.pk}
        )
    return deleted
