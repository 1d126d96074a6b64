"""Reminders (consent, quiet hours, rate, once each), the plan's monthly conversations, retention,
and the customer's messages in the export and gone with the customer."""

import io
import zipfile
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from academy.services import enrolment_create
from academy.services.common import workspace_zone
from customers.models import Customer
from customers.services import CustomerInput, customer_create
from memberships.services import OfferInput, entitlement_sell, offer_create
from messaging.models import (
    Conversation,
    ConversationMonth,
    Message,
    MessageTemplate,
    ReminderSent,
)
from messaging.reminders import reminders_send
from messaging.selectors import conversations_this_month
from messaging.services import consent_record, customer_messages_erase, messages_purge
from plans.models import Plan
from plans.usage import workspace_usage
from tenants.data_rights import data_export_build, data_export_request
from tenants.models import DataExport, Tenant
from tests.conftest import in_schema
from tests.messaging.conftest import CUSTOMER_WA_ID, post_webhook, text_message


@pytest.fixture
def reminder_templates(connected):
    for purpose, body in {
        "class_tomorrow": "Hola, {{1}} tiene {{2}} mañana a las {{3}} en {{4}}.",
        "pack_running_out": "A {{1}} le quedan {{3}} clases de {{2}}.",
    }.items():
        MessageTemplate.objects.create(
            name=f"recordatorio_{purpose}", language="es", body=body, purpose=purpose
        )


@pytest.fixture
def tomorrow_class(make_class):
    tomorrow = timezone.localdate(timezone=workspace_zone()) + timedelta(days=1)
    return make_class(name="Salsa mañana", weekdays=[tomorrow.weekday()], start_time=time(19, 0))


def noon(days: int = 0) -> datetime:
    day = timezone.localdate(timezone=workspace_zone()) + timedelta(days=days)
    return datetime.combine(day, time(12, 0), tzinfo=workspace_zone())


def student(name: str, phone: str, *, consent: bool) -> Customer:
    return customer_create(
        data=CustomerInput(
            full_name=name,
            phone=phone,
            whatsapp_consent=consent,
            whatsapp_consent_source="form" if consent else "",
        )
    )


def test_class_tomorrow_goes_once_only_to_customers_who_consented(reminder_templates, tomorrow_class):
    yes = student("Ana Ríos", "+573001110001", consent=True)
    no = student("Beto Paz", "+573001110002", consent=False)
    opted_out = student("Carla Díaz", "+573001110003", consent=True)
    consent_record(customer=opted_out, opted_in=False, source="whatsapp")
    for person in (yes, no, opted_out):
        enrolment_create(academy_class=tomorrow_class, student=person)
    first = reminders_send(now=noon(), kinds=["class_tomorrow"])
    again = reminders_send(now=noon(), kinds=["class_tomorrow"])
    assert (first.sent, first.skipped_no_consent, again.sent) == (1, 2, 0)
    message = Message.objects.get(kind="template")
    assert message.conversation.customer == yes and message.status == "queued"
    assert message.body == "Hola, Ana Ríos tiene Salsa mañana mañana a las 19:00 en Sede Laureles."
    assert message.payload["template"] == "recordatorio_class_tomorrow"


def test_no_reminder_in_quiet_hours_and_no_more_than_the_hourly_rate(
    reminder_templates, tomorrow_class, connected
):
    people = [student(f"Alumno {n}", f"+5730011100{n:02d}", consent=True) for n in range(10, 14)]
    for person in people:
        enrolment_create(academy_class=tomorrow_class, student=person)
    late = datetime.combine(noon().date(), time(22, 30), tzinfo=workspace_zone())
    assert reminders_send(now=late, kinds=["class_tomorrow"]).quiet
    assert not Message.objects.exists()
    connected.reminders_per_hour = 3
    connected.save(update_fields=["reminders_per_hour"])
    result = reminders_send(now=noon(), kinds=["class_tomorrow"])
    assert (result.sent, result.waiting_rate) == (3, 1)
    assert reminders_send(now=noon() + timedelta(hours=2), kinds=["class_tomorrow"]).sent == 1


def test_pack_running_out_reminds_the_guardian_of_a_minor(reminder_templates, owner, staff, site):
    mother = student("Marta Gómez", "+573001119999", consent=True)
    child = customer_create(data=CustomerInput(full_name="Juan Gómez", guardian=mother))
    pack = offer_create(
        data=OfferInput(
            kind="pack", name="Paquete 1 clase", price=Decimal("20000"), credits=1, valid_days=30
        ),
        user=owner,
    )
    entitlement_sell(offer=pack, student=child, location=site, seller=staff)
    assert reminders_send(now=noon(), kinds=["pack_running_out"]).sent == 1
    message = Message.objects.get(kind="template")
    assert message.conversation.customer == mother and message.conversation.wa_id == "573001119999"
    assert message.body == "A Juan Gómez le quedan 1 clases de Paquete 1 clase."
    assert ReminderSent.objects.get().customer == mother


def test_conversations_a_month_are_counted_and_past_the_plans_limit_get_no_answer(
    public_client, connected, workspaces
):
    with in_schema(workspaces.alpha):
        Plan.objects.filter(code="basico").update(max_conversations_per_month=1)
        Tenant.objects.filter(pk=workspaces.alpha.pk).update(plan=Plan.objects.get(code="basico"))
    post_webhook(public_client, text_message("hola", wamid="wamid.L1"))
    post_webhook(public_client, text_message("hola otra vez", wamid="wamid.L2"))
    post_webhook(public_client, text_message("hola", wamid="wamid.L3", wa_id="573002223344", name="Otro"))
    with in_schema(workspaces.alpha):
        assert conversations_this_month() == 1 == workspace_usage()["conversations_per_month"]
        other = Conversation.objects.get(wa_id="573002223344")
        assert other.messages.filter(direction="in").count() == 1  # stored, shown in the inbox
        assert not other.messages.filter(direction="out").exists()  # no automatic answer
        assert Message.objects.filter(direction="out").count() == 2
        assert not ConversationMonth.objects.filter(conversation=other).exists()


def test_inbox_shows_the_limit_and_the_way_up(client_for, alpha, owner, connected, workspaces):
    from tests.customers.fixtures import web_client  # noqa: PLC0415

    Plan.objects.filter(code="basico").update(max_conversations_per_month=0)
    Tenant.objects.filter(pk=workspaces.alpha.pk).update(plan=Plan.objects.get(code="basico"))
    page = web_client(client_for, alpha, owner).get("/inbox/")
    assert "Conversaciones de este mes: 0 de 0." in page.text and "Mejorar el plan" in page.text


def test_messages_older_than_the_retention_are_purged(public_client, connected, workspaces):
    now = timezone.now()
    post_webhook(
        public_client,
        text_message("viejo", wamid="wamid.R1", timestamp=int((now - timedelta(days=400)).timestamp())),
    )
    post_webhook(public_client, text_message("nuevo", wamid="wamid.R2", timestamp=int(now.timestamp())))
    with in_schema(workspaces.alpha):
        assert messages_purge() == 1
        assert list(Message.objects.filter(direction="in").values_list("body", flat=True)) == ["nuevo"]
        assert messages_purge() == 0


def test_a_customers_messages_are_exported_and_leave_with_the_customer(
    public_client, connected, workspaces, owner, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    post_webhook(public_client, text_message("mis datos, por favor", wamid="wamid.D1"))
    export = data_export_request(tenant=workspaces.alpha, user=owner)
    with in_schema(workspaces.alpha):
        data_export_build(export_id=export.pk)
    export.refresh_from_db()
    assert export.status == DataExport.Status.DONE
    with export.file.open("rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    files = {name: archive.read(name) for name in archive.namelist()}
    assert b"mis datos, por favor" in files["csv/messaging.message.csv"]
    assert b"good-token" not in b"".join(files.values())
    with in_schema(workspaces.alpha):
        customer = Customer.objects.get(phone=f"+{CUSTOMER_WA_ID}")
        assert customer_messages_erase(customer=customer, user=owner) >= 1
        assert not Message.objects.exists() and not Conversation.objects.exists()


def test_the_beat_and_the_services_name_tasks_that_exist(db, settings):
    from config.celery import app  # noqa: PLC0415  (the worker's registry, as the beat sends by name)
    from messaging.services import SEND_TASK  # noqa: PLC0415

    app.loader.import_default_modules()
    beat = [
        settings.CELERY_BEAT_SCHEDULE[key]["args"][0] for key in ("whatsapp-reminders", "whatsapp-retention")
    ]
    assert all(name in app.tasks for name in [*beat, SEND_TASK])
