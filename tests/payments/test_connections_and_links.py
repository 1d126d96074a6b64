"""Connecting MercadoPago and Wompi (credentials encrypted at rest, never shown again, checked
against the provider through its SDK/client) and payment links: made with a Checkout Pro
preference or a signed Wompi checkout, emailed, opened by the payer without signing in."""

import hashlib
import json
from decimal import Decimal
from urllib.parse import parse_qs, urlparse

import pytest
from django.core import mail
from django.db import connection
from rest_framework.test import APIClient

from api.services import api_token_create
from inventory.models import Location, Quote
from inventory.services import SaleLineInput, quote_create
from payments.exceptions import ProviderNotConnected
from payments.models import PaymentLink, ProviderConnection
from payments.services import manual_charge_create, payment_link_create
from tests.api.conftest import enterprise
from tests.conftest import host_of
from tests.customers.fixtures import web_client
from tests.inventory.factories import ProductFactory
from tests.payments.conftest import (
    MP_API,
    MP_SECRET,
    MP_TOKEN,
    WOMPI_EVENTS,
    WOMPI_INTEGRITY,
    WOMPI_PRIVATE,
    WOMPI_PUBLIC,
    WOMPI_SANDBOX,
    preference_created,
)


def test_credentials_are_encrypted_at_rest(mercadopago, wompi):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT access_token, webhook_secret, private_key, events_secret, integrity_secret "
            "FROM payments_providerconnection"
        )
        stored = " ".join(value or "" for row in cursor.fetchall() for value in row)
    for secret in (MP_TOKEN, MP_SECRET, WOMPI_PRIVATE, WOMPI_EVENTS, WOMPI_INTEGRITY):
        assert secret not in stored
    assert ProviderConnection.objects.get(provider="mercadopago").access_token == MP_TOKEN


def test_the_owner_connects_mercadopago_the_check_calls_the_sdk_and_secrets_are_never_shown(
    fake, client_for, academy, owner
):
    fake.get(f"{MP_API}/users/me", json={"id": 202809963, "nickname": "ACADEMIA_SALSA", "site_id": "MCO"})
    client = web_client(client_for, academy, owner)

    response = client.post(
        "/payments/providers/mercadopago/",
        {"access_token": MP_TOKEN, "webhook_secret": MP_SECRET},
        follow=True,
    )

    assert response.status_code == 200
    text = response.content.decode()
    assert "ACADEMIA_SALSA" in text
    assert MP_TOKEN not in text and MP_SECRET not in text
    assert f"/hooks/mercadopago/{academy.slug}." in text
    assert fake.calls[0].request.headers["Authorization"] == f"Bearer {MP_TOKEN}"
    # Saved again with the secrets left empty: the stored ones stay.
    client.post("/payments/providers/mercadopago/", {"access_token": "", "webhook_secret": ""})
    assert ProviderConnection.objects.get().access_token == MP_TOKEN


def test_a_wompi_key_the_provider_refuses_shows_as_not_verified(fake, client_for, academy, admin):
    fake.get(
        f"{WOMPI_SANDBOX}/merchants/{WOMPI_PUBLIC}",
        json={"error": {"type": "NOT_FOUND_ERROR", "reason": "El comercio no existe"}},
        status=404,
    )
    client = web_client(client_for, academy, admin)
    data = {
        "public_key": WOMPI_PUBLIC,
        "private_key": WOMPI_PRIVATE,
        "events_secret": "e",
        "integrity_secret": "i",
    }

    client.post("/payments/providers/wompi/", data)

    saved = ProviderConnection.objects.get(provider="wompi")
    assert (saved.check_ok, saved.is_active) == (False, True)
    assert "404" in saved.check_message


def test_a_manual_link_makes_a_checkout_pro_preference_and_is_emailed(
    fake, client_for, academy, mercadopago, staff, django_capture_on_commit_callbacks
):
    preference_created(fake, pref_id="202809963-pref")
    client = web_client(client_for, academy, staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/payments/new/?kind=manual",
            {
                "description": "Clase privada de tango",
                "amount": "85000",
                "payer_name": "Lucía Pérez",
                "payer_email": "lucia@example.com",
                "send_email": "on",
            },
        )

    assert response.status_code == 302, response.content.decode()[:2000]
    link = PaymentLink.objects.get()
    assert (link.amount, link.currency, link.provider) == (Decimal("85000"), "COP", "mercadopago")
    assert link.checkout_url.endswith("pref_id=202809963-pref")
    sent = fake.calls[0].request
    body = json.loads(sent.body)
    assert body["external_reference"] == link.reference
    assert body["items"][0]["unit_price"] == 85000.0 and body["items"][0]["currency_id"] == "COP"
    assert body["back_urls"]["success"].endswith(f"/pay/{link.token}/")
    assert link.emailed_at, "not emailed"
    assert len(mail.outbox) == 1 and f"/pay/{link.token}/" in mail.outbox[0].body
    assert "85.000" in mail.outbox[0].body
    # The payer opens the link without signing in and goes to MercadoPago's checkout.
    payer = client_for(academy)
    page = payer.get(f"/pay/{link.token}/")
    assert page.status_code == 200 and "Clase privada de tango" in page.content.decode()
    go = payer.get(f"/pay/{link.token}/go/")
    assert go.status_code == 302 and go["Location"] == link.checkout_url


def test_a_wompi_link_signs_each_checkout_with_the_integrity_secret(client_for, academy, wompi, owner):
    charge = manual_charge_create(description="Inscripción", amount=Decimal("120000"), user=owner)
    link = payment_link_create(kind="manual", ref=charge.pk, created_by=owner)

    go = client_for(academy).get(f"/pay/{link.token}/go/")

    url = urlparse(go["Location"])
    params = {key: values[0] for key, values in parse_qs(url.query).items()}
    assert f"{url.scheme}://{url.netloc}{url.path}" == "https://checkout.wompi.co/p/"
    assert params["amount-in-cents"] == "12000000" and params["currency"] == "COP"
    assert params["reference"].startswith(link.reference + ".")
    expected = hashlib.sha256(f"{params['reference']}12000000COP{WOMPI_INTEGRITY}".encode()).hexdigest()
    assert params["signature:integrity"] == expected
    assert params["public-key"] == WOMPI_PUBLIC


def test_a_quote_link_asks_for_the_quotes_total(fake, academy, mercadopago, owner):
    preference_created(fake)
    product = ProductFactory(sale_price=Decimal("45000"))
    location = Location.objects.create(name="Tienda", kind=Location.Kind.STORE)
    quote = quote_create(
        location=location,
        user=owner,
        lines=[SaleLineInput(product=product, quantity=Decimal(2))],
        customer_name="Café Aroma",
        customer_email="compras@aroma.example",
    )

    link = payment_link_create(kind="quote", ref=quote.pk, created_by=owner)

    assert (link.amount, link.payer_email) == (quote.total, "compras@aroma.example")
    assert quote.status == Quote.Status.OPEN


def test_an_unknown_token_or_a_link_of_another_workspace_is_404(
    client_for, workspaces, academy, wompi, owner
):
    charge = manual_charge_create(description="Inscripción", amount=Decimal("1000"), user=owner)
    link = payment_link_create(kind="manual", ref=charge.pk, created_by=owner)

    assert client_for(academy).get("/pay/" + "x" * 32 + "/").status_code == 404
    assert client_for(workspaces.beta).get(f"/pay/{link.token}/").status_code == 404


def test_without_a_connection_no_link_is_made(academy, owner):
    charge = manual_charge_create(description="Inscripción", amount=Decimal("1000"), user=owner)
    with pytest.raises(ProviderNotConnected):
        payment_link_create(kind="manual", ref=charge.pk, created_by=owner)
    assert not PaymentLink.objects.exists()


def test_the_front_desk_makes_and_reads_a_link_through_the_api(academy, wompi, staff):
    enterprise(academy)
    client = APIClient(HTTP_HOST=host_of(academy))
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=staff, name='caja')[1]}")

    created = client.post(
        "/api/v1/payment-links/",
        {"kind": "manual", "description": "Taller de bachata", "amount": "70000", "payer_name": "Ana"},
        format="json",
    )

    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["provider"], body["status"], body["amount"], body["currency"]) == (
        "wompi",
        "open",
        "70000.00",
        "COP",
    )
    assert body["pay_url"].endswith(f"/pay/{PaymentLink.objects.get().token}/")
    assert client.get(f"/api/v1/payment-links/{body['id']}/").json()["description"] == "Taller de bachata"
    nothing = client.post(
        "/api/v1/payment-links/", {"kind": "family_balance", "ref": "f999999"}, format="json"
    )
    assert nothing.status_code == 404 and PaymentLink.objects.count() == 1
