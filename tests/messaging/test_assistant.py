"""The assistant, one conversation per intent, in Spanish and in English, through the webhook, on the
demo shop's catalogue and an academy like the demo's; a handover; an opt-out."""

from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from academy.models import Booking, Session
from academy.services import enrolment_create
from customers.services import CustomerInput, customer_create
from fees.services import class_fee_set, tuition_run
from inventory import hours
from inventory.demo import inventory_demo_seed
from inventory.models import Location, StockLevel
from memberships.services import OfferInput, entitlement_sell, offer_create
from messaging.models import ConsentRecord, Conversation, Message
from messaging.selectors import consent_given
from tests.conftest import in_schema
from tests.messaging.conftest import CUSTOMER_WA_ID, interactive_reply, post_webhook


@pytest.fixture
def demo_shop(alpha, owner):
    """alpha with the demo shop's catalogue and stock (rolled back with the test)."""
    inventory_demo_seed(kind="shop")
    store = Location.objects.filter(is_active=True).order_by("pk").first()
    Location.objects.filter(pk=store.pk).update(
        address="Calle 10 # 43-12, Medellín", phone="+57 604 444 1234"
    )
    hours.replace_week(store, [hours.Interval(day, time(8), time(19)) for day in range(6)])
    return store


def test_menu_in_spanish_and_in_english(say, demo_shop):
    spanish = say("Hola")
    assert spanish.kind == "interactive"
    rows = spanish.payload["interactive"]["action"]["sections"][0]["rows"]
    assert {"hours", "address", "product", "handover"} <= {row["id"] for row in rows}
    assert "Horario" in [row["title"] for row in rows]
    assert "classes_today" not in {row["id"] for row in rows}  # a shop has no classes
    english = say("Hello, what can you do?")
    assert english.body.startswith("Hello!")
    assert "Opening hours" in [
        row["title"] for row in english.payload["interactive"]["action"]["sections"][0]["rows"]
    ]


def test_opening_hours_and_address_per_location(say, demo_shop):
    hours_es = say("¿A qué hora abren?").body
    assert demo_shop.name in hours_es and "Lunes: 08:00–19:00" in hours_es and "Domingo: cerrado" in hours_es
    hours_en = say("What are your opening hours?").body
    assert "Monday: 08:00–19:00" in hours_en and "Sunday: closed" in hours_en
    address_es = say("¿Dónde están ubicados?").body
    assert "Calle 10 # 43-12, Medellín" in address_es and "Teléfono: +57 604 444 1234" in address_es
    assert "Phone: +57 604 444 1234" in say("Where is your address?").body


def test_price_and_stock_of_a_product_by_name_without_accents(say, demo_shop):
    sugar = StockLevel.objects.filter(product__sku="AZU-1K").aggregate(total=Sum("on_hand"))["total"]
    units = int(sugar)
    assert units > 0
    answer = say("¿tienen azucar?").body
    assert answer == f"Azúcar 1 kg: $1.500,00 (hay {units})"
    assert "Azúcar 1 kg" in say("¿Cuánto cuesta el AZÚCAR?").body
    english = say("Do you have azucar?").body
    assert "Azúcar 1 kg" in english and f"in stock: {units}" in english
    assert "no tenemos" in say("¿tienen caviar?").body.lower()


def test_hablar_con_una_persona_hands_over_and_the_assistant_stops(say, demo_shop, workspaces):
    handover = say("Quiero hablar con una persona")
    assert "persona" in handover.body
    with in_schema(workspaces.alpha):
        conversation = Conversation.objects.get(wa_id=CUSTOMER_WA_ID)
        assert conversation.handed_over_at is not None
        replies_before = Message.objects.filter(direction="out").count()
    say("¿tienen azúcar?")
    with in_schema(workspaces.alpha):
        assert Message.objects.filter(direction="out").count() == replies_before
        assert Message.objects.filter(direction="in").count() == 2  # stored for the person who answers


def test_stop_and_baja_record_the_opt_out_at_once(say, demo_shop, workspaces):
    say("hola")
    confirmation = say("BAJA")
    assert "no recibirás" in confirmation.body.lower()
    with in_schema(workspaces.alpha):
        customer = Conversation.objects.get(wa_id=CUSTOMER_WA_ID).customer
        assert not consent_given(customer)
        assert ConsentRecord.objects.get(customer=customer).source == "whatsapp"
    assert "will not receive" in say("STOP").body
    say("ALTA")
    with in_schema(workspaces.alpha):
        assert consent_given(customer)


# --- An academy -------------------------------------------------------------------------------------


@pytest.fixture
def academy_student(academy, make_class, owner, staff, site, other_room, other_teacher):
    """alpha as the demo academy: a class later today and every day, a student who writes from her
    phone, with a class pack of 4 and a month of tuition to pay."""
    start = timezone.localtime(timezone.now() + timedelta(minutes=30), timezone.get_fixed_timezone(-300))
    academy_class = make_class(
        name="Salsa caleña I", weekdays=list(range(7)), start_time=time(start.hour, start.minute), capacity=12
    )
    student = customer_create(
        data=CustomerInput(full_name="Laura Gómez", document_number="1020304050", phone=f"+{CUSTOMER_WA_ID}")
    )
    pack = offer_create(
        data=OfferInput(
            kind="pack", name="Paquete 4 clases", price=Decimal("80000"), credits=4, valid_days=60
        ),
        user=owner,
    )
    entitlement_sell(offer=pack, student=student, location=site, seller=staff)
    bachata = make_class(
        name="Bachata II",
        weekdays=[start.weekday()],
        start_time=time(start.hour, start.minute),
        room=other_room,
        teacher=other_teacher,
    )
    class_fee_set(academy_class=bachata, monthly_amount=Decimal("120000"), user=owner)
    enrolment_create(academy_class=bachata, student=student)
    tuition_run(period=timezone.localdate().replace(day=1))
    return {"class": academy_class, "student": student}


def test_todays_and_this_weeks_classes(say, connected, academy_student):
    today = say("¿Qué clases hay hoy?")
    assert "Clases de hoy" in today.body and "Salsa caleña I" in today.body
    assert today.payload["interactive"]["action"]["buttons"][0]["reply"]["id"] == "book"
    week = say("What classes are there this week?")
    assert "Classes in the next seven days" in week.body and week.body.count("Salsa caleña I") >= 6


def test_booking_a_class_uses_the_pack_and_refuses_without_one(
    say, connected, academy_student, public_client, workspaces
):
    offer = say("Quiero reservar una clase")
    rows = offer.payload["interactive"]["action"]["sections"][0]["rows"]
    with in_schema(workspaces.alpha):
        session = (
            Session.objects.filter(academy_class=academy_student["class"], starts_at__gt=timezone.now())
            .order_by("starts_at")
            .first()
        )
    assert f"book:{session.pk}" in [row["id"] for row in rows]
    post_webhook(
        public_client, interactive_reply(f"book:{session.pk}", "Salsa caleña I", wamid="wamid.BOOK1")
    )
    with in_schema(workspaces.alpha):
        booked = Message.objects.filter(direction="out").order_by("-pk").first()
        assert booked.body.startswith("Reservada") and "Salsa caleña I" in booked.body
        assert Booking.objects.filter(
            session=session, student=academy_student["student"], kind="drop_in"
        ).exists()
    # the same session again: already has a place, nothing booked twice
    post_webhook(
        public_client, interactive_reply(f"book:{session.pk}", "Salsa caleña I", wamid="wamid.BOOK2")
    )
    with in_schema(workspaces.alpha):
        assert Booking.objects.filter(session=session, student=academy_student["student"]).count() == 1


def test_my_credits_and_what_i_owe(say, connected, academy_student):
    credits = say("¿Cuántas clases me quedan?").body
    assert "Paquete 4 clases" in credits and "4 clases" in credits
    assert "4 classes left" in say("How many credits do I have left?").body
    owe = say("¿Cuánto debo?").body
    assert owe.startswith("Debes") and "Bachata II" in owe
    assert say("What do I owe?").body.startswith("You owe")
