"""Reads of messaging: the connected number, conversations for the inbox, consent, usage."""

from datetime import date, timedelta

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.permissions import Perm, has_perm
from core.search import Unaccented, search_normal
from customers.models import Customer
from messaging.exceptions import ConversationNotFound
from messaging.models import ConsentRecord, Conversation, ConversationMonth, Message, WhatsAppAccount
from tenants.models import Tenant

WINDOW = timedelta(hours=24)


def _as_id(value) -> int | None:
    text = str(value or "").strip()
    if not text.isascii() or not text.isdigit() or not 0 < int(text) <= 2**63 - 1:
        return None
    return int(text)


def current_workspace() -> Tenant | None:
    """The workspace whose schema is on the connection (a real row even inside ``schema_context``,
    which only names the schema)."""
    tenant = getattr(connection, "tenant", None)
    if tenant is not None and getattr(tenant, "pk", None) is not None:
        return tenant
    return Tenant.objects.filter(schema_name=connection.schema_name).select_related("plan").first()


def account_get() -> WhatsAppAccount | None:
    """The workspace's connected number, or None."""
    return WhatsAppAccount.objects.first()


def month_start(day: date | None = None) -> date:
    day = day or timezone.localdate()
    return day.replace(day=1)


def conversations_this_month() -> int:
    """Conversations open this month: what the plan's monthly limit counts."""
    return ConversationMonth.objects.filter(month=month_start()).count()


def conversation_list(*, user, search: str = "", mine: bool = False, unread: bool = False) -> QuerySet:
    """The inbox: most recent first, with the customer and the person assigned (STAFF and up).

    ``search`` forgives accents and case, and looks in the customer's name, phone and messages.
    """
    if not has_perm(user, Perm.ANSWER_MESSAGES):
        return Conversation.objects.none()
    rows = Conversation.objects.select_related("customer", "assigned_to")
    text = search_normal(search or "")
    if text:
        in_messages = (
            Message.objects.alias(plain=Unaccented("body"))
            .filter(plain__contains=text)
            .values("conversation_id")
        )
        rows = rows.alias(name=Unaccented("customer__full_name")).filter(
            Q(name__contains=text)
            | Q(wa_id__contains=text.replace(" ", "").lstrip("+"))
            | Q(pk__in=in_messages)
        )
    if mine:
        rows = rows.filter(assigned_to=user)
    if unread:
        rows = rows.filter(unread_count__gt=0)
    return rows.order_by("-last_message_at", "-pk")


def conversation_get(*, conversation_id, user) -> Conversation:
    """One conversation for a user who may answer; one error for missing and forbidden."""
    if not has_perm(user, Perm.ANSWER_MESSAGES):
        raise ConversationNotFound()
    conversation = (
        Conversation.objects.select_related("customer", "assigned_to")
        .filter(pk=_as_id(conversation_id) or 0)
        .first()
    )
    if conversation is None:
        raise ConversationNotFound()
    return conversation


def conversation_messages(*, conversation: Conversation) -> QuerySet:
    """Messages and notes in the order they were said."""
    return conversation.messages.select_related("author").order_by("sent_at", "pk")


def window_open(conversation: Conversation, *, now=None) -> bool:
    """True while a free-form reply may be sent: the customer wrote in the last 24 hours."""
    last = conversation.last_inbound_at
    return last is not None and (now or timezone.now()) - last < WINDOW


def unread_total() -> int:
    return sum(Conversation.objects.filter(unread_count__gt=0).values_list("unread_count", flat=True))


def consent_given(customer: Customer) -> bool:
    """The latest WhatsApp consent record decides; without one, the customer card's consent counts
    (given at the front desk or in a form)."""
    latest = ConsentRecord.objects.filter(customer=customer).order_by("-recorded_at", "-pk").first()
    if latest is not None:
        return latest.choice == ConsentRecord.Choice.OPT_IN
    return bool(customer.whatsapp_consent)


def consent_history(customer: Customer) -> QuerySet:
    return ConsentRecord.objects.filter(customer=customer).order_by("-recorded_at", "-pk")
