"""The assistant: deterministic rules that answer from what the workspace already knows, in the
customer's language (Spanish first, English when the customer writes English).

Intents live in a registry, so other apps plug theirs in when Django starts (the lead wires
"order status" from ``orders`` and "payment link" from ``payments`` with ``intent_register``).
Each intent has words that call it (accents and case forgiven), a menu title, the kinds of
workspace it serves, and a handler that returns a ``Reply``. A list or button reply comes back as
``<intent key>`` or ``<intent key>:<argument>`` and goes straight to the intent's handler.

An optional language-model provider may answer what no rule understood: only when
``settings.WHATSAPP_ASSISTANT_LLM`` names one registered with ``llm_fallback_register`` (off by
default; nothing leaves the platform otherwise).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from academy.exceptions import AcademyError
from academy.models import Enrolment, Session
from academy.services import booking_create
from academy.services.common import weekday_name, workspace_zone
from academy.services.enrolment import session_places_taken
from core.money import money_text, number_text
from core.search import Unaccented, search_normal
from customers.models import Customer
from fees.accounts import account_of
from fees.selectors import account_open_charges
from inventory import hours
from inventory.models import Location, Product
from memberships.models import Entitlement, Offer
from memberships.selectors import entitlement_is_standing
from memberships.services import offers_covering
from messaging.models import Conversation, Message
from messaging.selectors import account_get, current_workspace
from messaging.services import consent_record, conversation_handover, message_queue

MENU_LIMIT = 10  # rows of a WhatsApp list message
ROW_TITLE = 24
ROW_DESCRIPTION = 72
BUTTON_TITLE = 20

ENGLISH = {
    "stop",
    "unsubscribe",
    "hi",
    "hello",
    "hey",
    "what",
    "when",
    "where",
    "do",
    "does",
    "you",
    "have",
    "price",
    "hours",
    "open",
    "class",
    "classes",
    "my",
    "how",
    "much",
    "book",
    "owe",
    "credits",
    "please",
    "thanks",
    "the",
    "is",
    "are",
    "today",
    "week",
    "this",
    "talk",
    "person",
    "human",
    "address",
    "menu",
    "help",
    "left",
    "any",
}
SPANISH = {
    "baja",
    "alta",
    "hola",
    "que",
    "cuanto",
    "cuesta",
    "tienen",
    "tiene",
    "horario",
    "clase",
    "clases",
    "mis",
    "debo",
    "por",
    "favor",
    "gracias",
    "el",
    "la",
    "los",
    "las",
    "donde",
    "hoy",
    "semana",
    "esta",
    "reservar",
    "hablar",
    "persona",
    "direccion",
    "precio",
    "me",
    "quedan",
    "buenas",
    "buenos",
    "dias",
    "tardes",
    "abren",
    "cierran",
    "quiero",
    "una",
    "un",
    "de",
    "con",
    "hay",
}


def language_of(text: str, *, current: str = "es") -> str:
    """ "en" when the words are more English than Spanish, "es" when more Spanish, else ``current``."""
    words = re.findall(r"[a-z]+", search_normal(text))
    english = sum(word in ENGLISH for word in words)
    spanish = sum(word in SPANISH for word in words)
    if english > spanish:
        return "en"
    if spanish > english:
        return "es"
    return current if current in ("es", "en") else "es"


@dataclass
class Reply:
    """What the assistant says: a text, with buttons (up to 3) or list rows (up to 10) to tap."""

    text: str
    buttons: list[tuple[str, str]] = field(default_factory=list)  # (id, title)
    rows: list[tuple[str, str, str]] = field(default_factory=list)  # (id, title, description)
    list_button: str = ""
    handover: bool = False


@dataclass
class Context:
    conversation: Conversation
    customer: Customer
    text: str  # as written
    normal: str  # accents off, lower case, punctuation off
    argument: str = ""  # from a list or button reply ("book:12" → "12")
    kind: str = "shop"  # the workspace's kind: shop or academy


@dataclass(frozen=True)
class Intent:
    key: str
    words: tuple[str, ...]  # normalised words or phrases that call it (Spanish and English)
    title: Callable[[], str]  # the menu row's title, translated when shown
    handler: Callable[[Context], Reply]
    kinds: tuple[str, ...] = ("shop", "academy")
    order: int = 100
    in_menu: bool = True


_intents: dict[str, Intent] = {}
_llm_providers: dict[str, Callable[[Context], str | None]] = {}


def intent_register(intent: Intent) -> None:
    """Add (or replace) an intent; other apps call it from their AppConfig.ready."""
    _intents[intent.key] = intent


def intent_list(kind: str) -> list[Intent]:
    return sorted((i for i in _intents.values() if kind in i.kinds), key=lambda i: (i.order, i.key))


def llm_fallback_register(name: str, answer: Callable[[Context], str | None]) -> None:
    """A language-model provider for what no rule understood, used only when
    ``settings.WHATSAPP_ASSISTANT_LLM == name``."""
    _llm_providers[name] = answer


def normalise(text: str) -> str:
    plain = search_normal(text or "")
    return " ".join(re.sub(r"[^\w\s:]", " ", plain).split())


def _has_word(normal: str, phrase: str) -> bool:
    return re.search(rf"(^|\s){re.escape(phrase)}(\s|$)", normal) is not None


def _workspace_kind() -> str:
    return getattr(current_workspace(), "kind", "shop") or "shop"


def opt_out_text(_text: str) -> str:
    return _("Done: you will not receive more WhatsApp messages from us. Write ALTA to receive them again.")


# --- Answering ----------------------------------------------------------------------------------


def _match(context: Context) -> Intent | None:
    intents = intent_list(context.kind)
    reply_id = ""
    if ":" in context.text or context.text in _intents:
        reply_id = context.text
    if reply_id:
        key, _sep, argument = reply_id.partition(":")
        if key in _intents and context.kind in _intents[key].kinds:
            context.argument = argument
            return _intents[key]
    # A typed menu number ("2") picks that row.
    if context.normal.isdigit():
        menu = [i for i in intents if i.in_menu]
        index = int(context.normal) - 1
        if 0 <= index < len(menu):
            return menu[index]
    # Every phrase found counts its length: "que clases hay hoy" is about today's classes ("hoy",
    # "clases hay hoy") more than about a product ("hay").
    best, best_score = None, 0
    for intent in intents:
        score = sum(len(phrase) for phrase in intent.words if _has_word(context.normal, phrase))
        if score > best_score:
            best, best_score = intent, score
    return best


def reply_for(context: Context) -> Reply:
    """The assistant's answer to one message (no side effects beyond the intent's own)."""
    intent = _match(context)
    if intent is not None:
        return intent.handler(context)
    product = _product_answer(context, context.normal)
    if product is not None:
        return product
    provider = _llm_providers.get(getattr(settings, "WHATSAPP_ASSISTANT_LLM", "") or "")
    if provider is not None:
        text = provider(context)
        if text:
            return Reply(text=text)
    return _menu(context, intro=_("Sorry, I did not understand. This is what I can help with:"))


def _interactive(reply: Reply) -> dict | None:
    if reply.buttons:
        return {
            "type": "button",
            "body": {"text": reply.text[:1024]},
            "action": {
                "buttons": [
                    {"type": "reply", "reply": {"id": key[:256], "title": title[:BUTTON_TITLE]}}
                    for key, title in reply.buttons[:3]
                ]
            },
        }
    if reply.rows:
        return {
            "type": "list",
            "body": {"text": reply.text[:4096]},
            "action": {
                "button": (reply.list_button or _("Options"))[:BUTTON_TITLE],
                "sections": [
                    {
                        "title": (reply.list_button or _("Options"))[:ROW_TITLE],
                        "rows": [
                            {
                                "id": key[:200],
                                "title": title[:ROW_TITLE],
                                "description": description[:ROW_DESCRIPTION],
                            }
                            for key, title, description in reply.rows[:MENU_LIMIT]
                        ],
                    }
                ],
            },
        }
    return None


def assistant_answer(*, message: Message) -> Message | None:
    """Answer a customer's message (queued for sending), unless a person took the conversation or
    the assistant is off. A handover request stops the assistant for this conversation."""
    conversation = message.conversation
    account = account_get()
    if conversation.handed_over_at is not None or account is None or not account.assistant_enabled:
        return None
    if message.kind == Message.Kind.OTHER:
        return None
    language = language_of(message.body, current=conversation.language)
    if message.kind == Message.Kind.INTERACTIVE:
        language = conversation.language
    if language != conversation.language:
        Conversation.objects.filter(pk=conversation.pk).update(language=language)
        conversation.language = language
    text = message.payload.get("reply_id") or message.body
    context = Context(
        conversation=conversation,
        customer=conversation.customer,
        text=text.strip(),
        normal=normalise(text),
        kind=_workspace_kind(),
    )
    with translation.override(language):
        reply = reply_for(context)
        interactive = _interactive(reply)
    with transaction.atomic():
        if reply.handover:
            conversation_handover(conversation=conversation)
        if interactive is not None:
            return message_queue(
                conversation=conversation,
                body=reply.text,
                kind=Message.Kind.INTERACTIVE,
                payload={"interactive": interactive},
                from_assistant=True,
            )
        return message_queue(conversation=conversation, body=reply.text, from_assistant=True)


# --- The intents -----------------------------------------------------------------------------------


def _menu(context: Context, *, intro: str = "") -> Reply:
    name = getattr(current_workspace(), "name", "")
    text = intro or _("Hello! This is %(business)s's assistant. How can I help?") % {"business": name}
    rows = [(intent.key, intent.title(), "") for intent in intent_list(context.kind) if intent.in_menu]
    return Reply(text=text, rows=rows[:MENU_LIMIT], list_button=_("Menu"))


def _locations():
    return Location.objects.filter(is_active=True).order_by("name")


def _time(at: time) -> str:
    return formats.time_format(at, "H:i")


def _hours(context: Context) -> Reply:
    lines = []
    for location in _locations():
        week = hours.week(location)
        lines.append(f"*{location.name}*")
        if not week:
            lines.append(_("Opening hours not set yet."))
            continue
        for weekday in range(7):
            intervals = [i for i in week if i.weekday == weekday]
            day = weekday_name(weekday).capitalize()
            if intervals:
                spans = ", ".join(f"{_time(i.opens)}–{_time(i.closes)}" for i in intervals)
            else:
                spans = _("closed")
            lines.append(f"{day}: {spans}")
    if not lines:
        return Reply(text=_("We have not published our opening hours yet."))
    return Reply(text="\n".join(lines))


def _address(context: Context) -> Reply:
    lines = []
    for location in _locations():
        parts = [f"*{location.name}*"]
        parts.append(location.address or _("Address not set yet."))
        if location.phone:
            parts.append(_("Phone: %(phone)s") % {"phone": location.phone})
        lines.append("\n".join(parts))
    if not lines:
        return Reply(text=_("We have not published our address yet."))
    return Reply(text="\n\n".join(lines))


PRODUCT_LEADS = (
    "cuanto cuesta el",
    "cuanto cuesta la",
    "cuanto cuesta",
    "cuanto vale",
    "precio del",
    "precio de la",
    "precio de",
    "precio",
    "tienen",
    "tiene",
    "hay",
    "venden",
    "do you have",
    "do you sell",
    "how much is the",
    "how much is",
    "how much are",
    "price of the",
    "price of",
    "price",
    "have you got",
)
FILLER = {"el", "la", "los", "las", "un", "una", "unos", "unas", "de", "del", "the", "a", "an", "some", "any"}


def _product_query(normal: str) -> str:
    for lead in PRODUCT_LEADS:
        match = re.search(rf"(^|\s){re.escape(lead)}\s+(.*)$", normal)
        if match:
            words = [w for w in match.group(2).split() if w not in FILLER]
            return " ".join(words)
    return ""


def _product_answer(context: Context, query: str) -> Reply | None:
    """Price and availability of the products whose name holds ``query`` (accents forgiven)."""
    query = " ".join(w for w in query.split() if w not in FILLER)
    if len(query) < 3:
        return None
    products = list(
        Product.objects.filter(is_active=True)
        .alias(plain=Unaccented("name"))
        .filter(plain__contains=query)
        .annotate(stock=Sum("stock_levels__on_hand", filter=Q(stock_levels__location__is_active=True)))
        .order_by("name")[:5]
    )
    if not products and query.endswith("s"):  # "azucares", "panes": try the singular
        return _product_answer(context, query[:-1]) if len(query) > 3 else None
    if not products:
        return None
    lines = []
    for product in products:
        if not product.tracks_stock:
            state = _("available")
        elif (product.stock or 0) > 0:
            state = _("in stock: %(quantity)s") % {"quantity": number_text(product.stock, whole=True)}
        else:
            state = _("out of stock")
        lines.append(f"{product.name}: {money_text(product.sale_price)} ({state})")
    return Reply(text="\n".join(lines))


def _product(context: Context) -> Reply:
    query = _product_query(context.normal)
    answer = _product_answer(context, query) if query else None
    if answer is not None:
        return answer
    if query:
        return Reply(text=_("We do not have %(product)s in our catalogue.") % {"product": query})
    return Reply(text=_("Write the product's name, for example: do you have sugar?"))


def _handover(context: Context) -> Reply:
    return Reply(text=_("Sure: a person from our team will answer you here soon."), handover=True)


# --- Academy intents -----------------------------------------------------------------------------------


def _students(customer: Customer) -> list[Customer]:
    """Who the writer asks about: themselves and the minors they are guardian of."""
    return [customer, *Customer.objects.filter(guardian=customer, is_active=True).order_by("full_name")]


def _sessions_between(start: datetime, end: datetime):
    return (
        Session.objects.filter(status=Session.Status.SCHEDULED, starts_at__gte=start, starts_at__lt=end)
        .select_related("academy_class", "room__site", "teacher")
        .order_by("starts_at", "pk")
    )


def _session_line(session: Session, *, with_day: bool) -> str:
    local = timezone.localtime(session.starts_at, workspace_zone())
    when = formats.date_format(local, "l j") + " " if with_day else ""
    return (
        f"{when}{formats.time_format(local, 'H:i')} {session.academy_class.name} ({session.room.site.name})"
    )


def _today_range(days: int):
    zone = workspace_zone()
    today = timezone.localdate(timezone=zone)
    start = max(timezone.now(), datetime.combine(today, time.min, tzinfo=zone))
    return start, datetime.combine(today + timedelta(days=days), time.min, tzinfo=zone)


def _classes_today(context: Context) -> Reply:
    start, end = _today_range(1)
    sessions = list(_sessions_between(start, end)[:20])
    if not sessions:
        return Reply(text=_("There are no more classes today."))
    lines = [_("Classes today:")] + [_session_line(s, with_day=False) for s in sessions]
    return Reply(text="\n".join(lines), buttons=[("book", _("Book a class"))])


def _classes_week(context: Context) -> Reply:
    start, end = _today_range(7)
    sessions = list(_sessions_between(start, end)[:30])
    if not sessions:
        return Reply(text=_("There are no classes in the next seven days."))
    lines = [_("Classes in the next seven days:")] + [_session_line(s, with_day=True) for s in sessions]
    return Reply(text="\n".join(lines), buttons=[("book", _("Book a class"))])


def _standing_entitlements(student: Customer):
    rows = (
        Entitlement.objects.filter(student=student, cancelled_at__isnull=True)
        .select_related("offer", "sale_line__sale")
        .order_by("pk")
    )
    today = timezone.localdate(timezone=workspace_zone())
    usable = []
    for entitlement in rows:
        if not entitlement_is_standing(entitlement):
            continue
        if entitlement.ends_on is not None and entitlement.ends_on < today:
            continue
        left = entitlement.credits_left
        if entitlement.kind != Offer.Kind.MEMBERSHIP and (left is None or left <= 0):
            continue
        usable.append(entitlement)
    return usable


def _covers(entitlement: Entitlement, session: Session) -> bool:
    types = list(entitlement.offer.class_types.values_list("pk", flat=True))
    return not types or session.academy_class.class_type_id in types


def _book(context: Context) -> Reply:
    student = context.customer
    if context.argument:
        return _book_session(context, student)
    start, end = _today_range(7)
    sessions = list(
        _sessions_between(start, end).annotate(
            enrolled=Count("academy_class__enrolments", filter=Q(academy_class__enrolments__status="active"))
        )[:MENU_LIMIT]
    )
    if not sessions:
        return Reply(text=_("There are no classes to book in the next seven days."))
    rows = []
    for session in sessions:
        local = timezone.localtime(session.starts_at, workspace_zone())
        rows.append(
            (
                f"book:{session.pk}",
                session.academy_class.name,
                f"{formats.date_format(local, 'D j')} {formats.time_format(local, 'H:i')}"
                f" · {session.room.site.name}",
            )
        )
    return Reply(text=_("Which class would you like to book?"), rows=rows, list_button=_("Classes"))


def _book_session(context: Context, student: Customer) -> Reply:
    session = (
        Session.objects.select_related("academy_class", "room__site")
        .filter(pk=int(context.argument) if context.argument.isdigit() else 0)
        .first()
    )
    if session is None:
        return Reply(text=_("That class is no longer available."))
    if Enrolment.objects.filter(
        academy_class_id=session.academy_class_id, student=student, status=Enrolment.Status.ACTIVE
    ).exists():
        return Reply(text=_("You already have a place in %(class)s.") % {"class": session.academy_class.name})
    covering = [e for e in _standing_entitlements(student) if _covers(e, session)]
    if not covering:
        offers = list(offers_covering(class_type_id=session.academy_class.class_type_id)[:3])
        text = _("You have no classes left for %(class)s.") % {"class": session.academy_class.name}
        if offers:
            text += " " + _("You can buy: %(offers)s.") % {
                "offers": ", ".join(f"{offer.name} ({money_text(offer.price)})" for offer in offers)
            }
        return Reply(text=text)
    try:
        booking_create(session=session, student=student, kind="drop_in")
    except AcademyError as error:
        return Reply(text=str(error))
    places = session.academy_class.capacity - session_places_taken(session=session)
    return Reply(
        text=_(
            "Booked: %(session)s. Places left: %(places)s. Your class is taken from your plan at check-in."
        )
        % {"session": _session_line(session, with_day=True), "places": number_text(max(places, 0))}
    )


def _credits(context: Context) -> Reply:
    lines = []
    for student in _students(context.customer):
        for entitlement in _standing_entitlements(student):
            if entitlement.kind == Offer.Kind.MEMBERSHIP:
                until = formats.date_format(entitlement.ends_on, "j M") if entitlement.ends_on else "—"
                lines.append(
                    _("%(student)s: %(offer)s until %(date)s")
                    % {"student": student.full_name, "offer": entitlement.offer.name, "date": until}
                )
            else:
                lines.append(
                    _("%(student)s: %(offer)s, %(left)s classes left")
                    % {
                        "student": student.full_name,
                        "offer": entitlement.offer.name,
                        "left": number_text(entitlement.credits_left),
                    }
                )
    if not lines:
        return Reply(text=_("You have no class packs or memberships in force."))
    return Reply(text="\n".join(lines))


def _owe(context: Context) -> Reply:
    account = account_of(context.customer)
    charges = list(account_open_charges(account=account))
    if not charges:
        return Reply(text=_("You are up to date: nothing to pay."))
    total = sum((charge.open_amount for charge in charges), 0)
    today = timezone.localdate(timezone=workspace_zone())
    lines = [_("You owe %(total)s:") % {"total": money_text(total)}]
    for charge in charges[:8]:
        late = _(" (overdue)") if charge.due_on < today else ""
        lines.append(
            f"· {charge.description}: {money_text(charge.open_amount)} — "
            + _("due %(date)s") % {"date": formats.date_format(charge.due_on, "j M")}
            + late
        )
    return Reply(text="\n".join(lines))


def _opt_in(context: Context) -> Reply:
    consent_record(customer=context.customer, opted_in=True, source="whatsapp")
    return Reply(text=_("Thank you: you will receive our reminders on WhatsApp again."))


def register_builtin_intents() -> None:
    """The intents every workspace has (called from MessagingConfig.ready)."""
    builtin = [
        Intent(
            "menu",
            ("menu", "hola", "hi", "hello", "inicio", "ayuda", "help", "opciones", "buenas"),
            lambda: _("Menu"),
            lambda c: _menu(c),
            order=0,
            in_menu=False,
        ),
        Intent(
            "hours",
            (
                "horario",
                "horarios",
                "hora",
                "abren",
                "abierto",
                "abiertos",
                "cierran",
                "hours",
                "opening hours",
                "open",
                "close",
            ),
            lambda: _("Opening hours"),
            _hours,
            order=10,
        ),
        Intent(
            "address",
            ("direccion", "donde", "ubicacion", "ubicados", "address", "where", "location"),
            lambda: _("Address"),
            _address,
            order=20,
        ),
        Intent("product", PRODUCT_LEADS, lambda: _("Prices and stock"), _product, order=30),
        Intent(
            "classes_today",
            (
                "clases hoy",
                "clase hoy",
                "hoy",
                "clases hay hoy",
                "hay clases hoy",
                "clases de hoy",
                "today",
                "classes today",
            ),
            lambda: _("Classes today"),
            _classes_today,
            kinds=("academy",),
            order=40,
        ),
        Intent(
            "classes_week",
            ("esta semana", "semana", "clases", "this week", "week", "classes", "horario de clases"),
            lambda: _("Classes this week"),
            _classes_week,
            kinds=("academy",),
            order=45,
        ),
        Intent(
            "book",
            ("reservar", "reserva", "agendar", "book", "booking"),
            lambda: _("Book a class"),
            _book,
            kinds=("academy",),
            order=50,
        ),
        Intent(
            "credits",
            (
                "creditos",
                "credito",
                "me quedan",
                "clases me quedan",
                "paquete",
                "credits",
                "classes left",
                "my pack",
            ),
            lambda: _("My classes left"),
            _credits,
            kinds=("academy",),
            order=60,
        ),
        Intent(
            "owe",
            ("debo", "deuda", "saldo", "cuanto debo", "owe", "balance", "what i owe"),
            lambda: _("What I owe"),
            _owe,
            kinds=("academy",),
            order=70,
        ),
        Intent(
            "handover",
            (
                "hablar con una persona",
                "persona",
                "asesor",
                "humano",
                "agente",
                "talk to a person",
                "person",
                "human",
                "agent",
            ),
            lambda: _("Talk to a person"),
            _handover,
            order=90,
        ),
        Intent("opt_in", ("alta", "start"), lambda: _("Receive reminders"), _opt_in, in_menu=False),
    ]
    for intent in builtin:
        intent_register(intent)
