"""Demo WhatsApp: a connected-looking number and a few conversations in demo-shop and demo-academy.

The number is "connected" through the real service with a local stand-in at the Graph client's
transport (nothing reaches Meta); the conversations are Meta-shaped webhook values run through the
same code as the platform webhook, so the assistant's answers are the real ones. Idempotent.
"""

import itertools
import json
import time as clock

import httpx
from django.db import transaction
from django.utils import timezone
from django_tenants.utils import tenant_context

from accounts.models import User
from messaging.graph import transport_use
from messaging.inbound import webhook_value_process
from messaging.models import Message
from messaging.selectors import account_get
from messaging.services import account_connect, message_deliver, quick_reply_create, template_create
from tenants.models import Tenant

DEMO_NUMBERS = {"shop": "100200300400501", "academy": "100200300400502"}
CHATS = {
    "shop": [
        ("5491155550101", "Carla Benítez", ["Hola", "¿tienen azúcar?", "¿A qué hora abren?"]),
        ("5491155550102", "Tom Miller", ["Hi, do you have cafe?", "Where is your address?"]),
        ("5491155550103", "Rubén Sosa", ["Quiero hablar con una persona", "¿Hacen envíos a domicilio?"]),
    ],
    "academy": [
        ("573005550201", "Valentina Ruiz", ["Hola", "¿Qué clases hay hoy?", "¿Cuántas clases me quedan?"]),
        ("573005550202", "Sam Carter", ["Hello", "What classes are there this week?"]),
        ("573005550203", "Diego Patiño", ["¿Cuánto debo?", "Quiero hablar con una persona"]),
    ],
}
TEMPLATES = {
    "class_tomorrow": "Hola, te recordamos la clase de {{1}}: {{2}} mañana a las {{3}} en {{4}}.",
    "pack_running_out": "Hola, a {{1}} le queda(n) {{3}} clase(s) de {{2}}. Renuévalo en la recepción.",
    "fee_due": "Hola, la cuota de {{1}} ({{2}}) por {{3}} vence el {{4}}.",
    "fee_overdue": "Hola, la cuota de {{1}} ({{2}}) por {{3}} venció el {{4}}. Si ya pagaste, ignóralo.",
}


class _LocalGraph:
    """Answers like the Graph API: the number's details, and an id for each message sent."""

    def __init__(self, name: str):
        self.name = name
        self.ids = itertools.count(int(clock.time()))

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.method == "GET":
            return httpx.Response(
                200, json={"display_phone_number": "+57 300 555 0000", "verified_name": self.name}
            )
        to = json.loads(request.content)["to"]
        return httpx.Response(
            200,
            json={
                "messaging_product": "whatsapp",
                "contacts": [{"input": to, "wa_id": to}],
                "messages": [{"id": f"wamid.DEMO{next(self.ids)}"}],
            },
        )


def _value(phone_number_id: str, wa_id: str, name: str, text: str, number: int) -> dict:
    return {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "573005550000", "phone_number_id": phone_number_id},
        "contacts": [{"profile": {"name": name}, "wa_id": wa_id}],
        "messages": [
            {
                "from": wa_id,
                "id": f"wamid.DEMO-IN-{wa_id}-{number}",
                "timestamp": str(int(timezone.now().timestamp()) - 3600 + number * 60),
                "type": "text",
                "text": {"body": text},
            }
        ],
    }


def messaging_demo_seed(*, tenant: Tenant) -> None:
    """Connect the demo number and play a few conversations in ``tenant`` (skipped when done)."""
    kind = "academy" if tenant.kind == Tenant.Kind.ACADEMY else "shop"
    with tenant_context(tenant), transport_use(httpx.MockTransport(_LocalGraph(tenant.name))):
        if account_get() is not None:
            return
        owner = User.objects.filter(role=User.Role.OWNER, is_active=True).order_by("pk").first()
        account_connect(
            phone_number_id=DEMO_NUMBERS[kind],
            business_account_id="100200300400500",
            access_token="demo-token-not-a-secret",
            user=owner,
        )
        quick_reply_create(
            title="Gracias", body="¡Gracias por escribirnos! Enseguida te ayudamos.", user=owner
        )
        quick_reply_create(title="Horario", body="Abrimos de lunes a sábado de 8:00 a 19:00.", user=owner)
        if kind == "academy":
            for purpose, body in TEMPLATES.items():
                template_create(
                    name=f"recordatorio_{purpose}", language="es", body=body, purpose=purpose, user=owner
                )
        counter = itertools.count(1)
        for wa_id, name, texts in CHATS[kind]:
            for text in texts:
                with transaction.atomic():
                    webhook_value_process(value=_value(DEMO_NUMBERS[kind], wa_id, name, text, next(counter)))
        for message_id in Message.objects.filter(status=Message.Status.QUEUED).values_list("pk", flat=True):
            message_deliver(message_id=message_id)
