"""WhatsApp meets orders and payments: "mi pedido", "link de pago", and the "your order is ready"
reminder, through the webhook, the real orders and payments services and the Graph client's fake
transport."""

from decimal import Decimal

import pytest
from django.db import connection

from customers.models import Customer
from inventory.models import Location, StockLevel
from messaging.models import Message, MessageTemplate
from messaging.services import consent_record
from orders.models import MenuItem, Order
from orders.services import OrderLineInput, order_place, order_status_set
from payments.models import PaymentLink, Provider
from payments.services import connection_save
from tenants.models import Tenant
from tests.inventory.factories import ProductFactory
from tests.payments.conftest import WOMPI_EVENTS, WOMPI_INTEGRITY, WOMPI_PRIVATE, WOMPI_PUBLIC


@pytest.fixture
def ask(say, alpha):
    """say() through the webhook on the bare domain, then back in alpha's schema."""

    def send(text: str):
        reply = say(text)
        connection.set_tenant(alpha)
        return reply

    return send


@pytest.fixture
def buyer_order(ask, alpha, owner):
    """Laura wrote once (she is a customer now) and ordered two croissants at the counter."""
    ask("Hola")
    laura = Customer.objects.get(phone__endswith="3001234567")
    cafe = Location.objects.create(name="Café Centro", kind=Location.Kind.STORE)
    croissant = ProductFactory(name="Croissant", sale_price=Decimal("4500.00"), tax_rate=Decimal("0"))
    StockLevel.objects.create(
        product=croissant, location=cafe, on_hand=Decimal(5), average_cost=Decimal(2000)
    )
    MenuItem.objects.create(product=croissant)
    order = order_place(
        location=cafe,
        lines=[OrderLineInput(product=croissant, quantity=Decimal(2))],
        customer_name="Laura Gómez",
        customer_phone="+573001234567",
        source=Order.Source.STAFF,
        user=owner,
    )
    Order.objects.filter(pk=order.pk).update(customer=laura)
    order.refresh_from_db()
    return order


def test_my_order_answers_its_status_in_spanish_and_english(ask, buyer_order):
    assert f"Pedido {buyer_order.number} (Café Centro): nuevo" in ask("¿Cómo va mi pedido?").body
    assert f"Order {buyer_order.number} (Café Centro): new" in ask("What about my order?").body


def test_pay_online_sends_the_orders_payment_link_when_the_business_takes_payments(
    ask, alpha, owner, buyer_order
):
    assert "no está disponible" in ask("Quiero pagar").body  # no provider connected yet
    Tenant.objects.filter(pk=alpha.pk).update(currency="COP")
    connection_save(
        provider=Provider.WOMPI,
        data={
            "public_key": WOMPI_PUBLIC,
            "private_key": WOMPI_PRIVATE,
            "events_secret": WOMPI_EVENTS,
            "integrity_secret": WOMPI_INTEGRITY,
        },
        user=owner,
    )

    reply = ask("Quiero pagar").body

    link = PaymentLink.objects.get(kind="order", ref=str(buyer_order.pk))
    assert f"/pay/{link.token}/" in reply and "9.000" in reply


def test_an_order_turning_ready_sends_the_ready_template_to_a_customer_who_consented(
    owner, buyer_order, graph, django_capture_on_commit_callbacks
):
    MessageTemplate.objects.create(
        name="pedido_listo", language="es", body="Tu pedido {{1}} está listo en {{2}}.", purpose="order_ready"
    )
    consent_record(customer=buyer_order.customer, opted_in=True, source="whatsapp")
    sent_before = Message.objects.filter(direction="out", kind="template").count()

    with django_capture_on_commit_callbacks(execute=True):
        for step in ("accepted", "preparing", "ready"):
            order_status_set(order=buyer_order, user=owner, to=step)

    reminders = Message.objects.filter(direction="out", kind="template").order_by("pk")
    assert reminders.count() == sent_before + 1
    assert reminders.last().payload["template"] == "pedido_listo"
    assert reminders.last().body == f"Tu pedido {buyer_order.number} está listo en Café Centro."
    with django_capture_on_commit_callbacks(execute=True):
        order_status_set(order=buyer_order, user=owner, to="delivered")
    assert reminders.count() == sent_before + 1  # once per order
