"""What the platform webhook brings into a workspace (already in its schema): statuses applied,
each new message stored once, an opt-out recorded at once, and the assistant's answer queued."""

import logging

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

logger = logging.getLogger(__name__)


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


def _timestamp(raw: dict) -> int:
    try:
        return int(raw.get("timestamp") or 0)
    except (TypeError, ValueError):
        return 0


def _dicts(items) -> list[dict]:
    return [item for item in (items if isinstance(items, list) else []) if isinstance(item, dict)]


def webhook_value_process(*, value: dict) -> list[Message]:
    """One ``change.value`` of Meta's webhook, in the workspace's schema: statuses applied, each new
    message stored once and answered (opt-out, assistant) unless a person has taken over.

    A message is committed before the assistant looks at it: an answer that fails is logged and
    the message stays stored (Meta would otherwise deliver it again and again).
    Returns the messages stored (replays store nothing)."""
    for status in _dicts(value.get("statuses")):
        errors = _dicts(status.get("errors"))
        status_apply(
            wamid=str(status.get("id", "")),
            status=str(status.get("status", "")),
            timestamp=status.get("timestamp"),
            error=str(errors[0].get("title", "")) if errors else "",
        )
    names = {
        str(contact.get("wa_id", "")): str((contact.get("profile") or {}).get("name", ""))
        for contact in _dicts(value.get("contacts"))
    }
    stored = []
    for raw in sorted(_dicts(value.get("messages")), key=_timestamp):
        with transaction.atomic():
            message = inbound_store(raw=raw, contact_name=names.get(str(raw.get("from", "")), ""))
            if message is None:
                continue
            stored.append(message)
            if opt_out_handle(message=message):
                continue
        try:
            with transaction.atomic():
                conversation_count_month(conversation=message.conversation)
                assistant_answer(message=message)
        except PlanLimitReached:
            continue  # stored and shown in the inbox; no automatic answer past the plan's limit
        except Exception:  # noqa: BLE001  (one bad answer must not make Meta resend the message)
            logger.exception("whatsapp assistant failed on message %s", message.pk)
    return stored
