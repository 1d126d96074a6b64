"""What the platform webhook brings into a workspace (already in its schema): statuses applied,
each new message stored once, an opt-out recorded at once, and the assistant's answer queued."""

from django.db import transaction
from django.utils import translation

from core.search import search_normal
from customers.models import ConsentSource
from messaging.assistant import assistant_answer, language_of, opt_out_text
from messaging.models import Message
from messaging.services import (
    OPT_OUT_WORDS,
    consent_record,
    conversation_count_month,
    inbound_store,
    message_queue,
    status_apply,
)
from plans.exceptions import PlanLimitReached


def _is_opt_out(text: str) -> bool:
    return search_normal(text).strip(" .!¡") in OPT_OUT_WORDS


def opt_out_handle(*, message: Message) -> bool:
    """ "STOP"/"BAJA": the opt-out is recorded at once and confirmed; True when it was one."""
    if message.kind != Message.Kind.TEXT or not _is_opt_out(message.body):
        return False
    conversation = message.conversation
    consent_record(customer=conversation.customer, opted_in=False, source=ConsentSource.WHATSAPP)
    with translation.override(language_of(message.body, current=conversation.language)):
        text = opt_out_text(message.body)
    message_queue(conversation=conversation, body=text, from_assistant=True)
    return True


def webhook_value_process(*, value: dict) -> list[Message]:
    """One ``change.value`` of Meta's webhook, in the workspace's schema: statuses applied, each new
    message stored once and answered (opt-out, assistant) unless a person has taken over.

    Returns the messages stored (replays store nothing)."""
    for status in value.get("statuses", []) or []:
        errors = status.get("errors") or []
        status_apply(
            wamid=status.get("id", ""),
            status=status.get("status", ""),
            timestamp=status.get("timestamp"),
            error=(errors[0].get("title", "") if errors else ""),
        )
    names = {
        str(c.get("wa_id", "")): (c.get("profile") or {}).get("name", "")
        for c in value.get("contacts", []) or []
    }
    stored = []
    raws = sorted(value.get("messages", []) or [], key=lambda raw: int(raw.get("timestamp") or 0))
    for raw in raws:
        with transaction.atomic():
            message = inbound_store(raw=raw, contact_name=names.get(str(raw.get("from", "")), ""))
            if message is None:
                continue
            stored.append(message)
            if opt_out_handle(message=message):
                continue
            try:
                conversation_count_month(conversation=message.conversation)
            except PlanLimitReached:
                continue  # stored and shown in the inbox; no automatic answer past the plan's limit
            assistant_answer(message=message)
    return stored
