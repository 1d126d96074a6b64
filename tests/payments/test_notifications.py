"""Notifications from MercadoPago and Wompi on the bare domain: signed the documented ways, each
processed once, the payment's status read back through the SDK (a fake at its HTTP transport),
out of order handled, and nothing changed by a bad, stale or foreign notification."""

import time
from decimal import Decimal

import pytest

from audit.models import AuditEvent
from fees.models import Charge, Payment
from payments.models import Notification, PaymentLink, ProviderPayment
from payments.services import manual_charge_create, payment_link_create
from tests.conftest import in_schema
from tests.payments.conftest import (
    mp_notification,
    mp_payment,
    preference_created,
    route_of,
    wompi_event,
)


@pytest.fixture
def manual_link(fake, mercadopago, owner):
    preference_created(fake)
    charge = manual_charge_create(description="Clase privada", amount=Decimal("80000"), user=owner)
    return payment_link_create(kind="manual", ref=charge.pk, created_by=owner, provider="mercadopago")


def _state(link):
    link.refresh_from_db()
    return link.status, list(ProviderPayment.objects.values_list("status", "settled", "reversed"))


def test_an_approved_payment_is_read_back_from_mercadopago_and_pays_the_link(
    fake, hooks, academy, mercadopago, manual_link
):
    mp_payment(fake, "1311772470", status="approved", reference=manual_link.reference, amount=80000)

    response = mp_notification(hooks, route_of(academy, mercadopago), "1311772470")

    assert response.status_code == 200, response.content
    assert _state(manual_link) == ("paid", [("approved", True, False)])
    assert ProviderPayment.objects.get().method == "visa"
    fetches = [call for call in fake.calls if "/v1/payments/" in call.request.url]
    assert len(fetches) == 1


def test_a_replayed_notification_is_processed_once(fake, hooks, academy, mercadopago, manual_link):
    mp_payment(fake, "1311772471", status="approved", reference=manual_link.reference, amount=80000)
    route = route_of(academy, mercadopago)

    first = mp_notification(hooks, route, "1311772471", notification_id=555)
    again = mp_notification(hooks, route, "1311772471", notification_id=555)

    assert (first.json()["outcome"], again.json()["outcome"]) == ("approved", "duplicate")
    assert Notification.objects.count() == 1
    assert len([c for c in fake.calls if "/v1/payments/" in c.request.url]) == 1


def test_a_bad_or_stale_signature_is_refused_and_changes_nothing(
    fake, hooks, academy, mercadopago, manual_link
):
    mp_payment(fake, "1311772472", status="approved", reference=manual_link.reference, amount=80000)
    route = route_of(academy, mercadopago)

    forged = mp_notification(hooks, route, "1311772472", secret="not-the-secret")
    stale = mp_notification(hooks, route, "1311772472", ts=int(time.time()) - 3600)

    assert (forged.status_code, stale.status_code) == (401, 401)
    assert _state(manual_link) == ("open", [])
    assert not Notification.objects.exists()
    assert not [c for c in fake.calls if "/v1/payments/" in c.request.url]


def test_a_route_we_never_issued_is_404(hooks, academy, mercadopago):
    assert mp_notification(hooks, f"{academy.slug}.not-our-token", "1").status_code == 404
    assert mp_notification(hooks, f"nobody.{mercadopago.route_token}", "1").status_code == 404


def test_rejected_after_approved_stays_approved_and_a_refund_reverses(
    fake, hooks, academy, mercadopago, manual_link
):
    route = route_of(academy, mercadopago)
    mp_payment(fake, "1311772473", status="approved", reference=manual_link.reference, amount=80000)
    mp_notification(hooks, route, "1311772473")

    fake.replace(
        "GET",
        "https://api.mercadopago.com/v1/payments/1311772473",
        json={"id": 1311772473, "status": "rejected", "external_reference": manual_link.reference,
              "transaction_amount": 80000.0, "currency_id": "COP"},
    )  # fmt: skip
    late = mp_notification(hooks, route, "1311772473")
    assert late.json()["outcome"] == "unchanged"
    assert _state(manual_link) == ("paid", [("approved", True, False)])

    fake.replace(
        "GET",
        "https://api.mercadopago.com/v1/payments/1311772473",
        json={"id": 1311772473, "status": "refunded", "external_reference": manual_link.reference,
              "transaction_amount": 80000.0, "currency_id": "COP"},
    )  # fmt: skip
    refund = mp_notification(hooks, route, "1311772473")
    assert refund.json()["outcome"] == "refunded"
    assert _state(manual_link) == ("refunded", [("refunded", True, True)])


def test_a_rejected_payment_is_shown_and_the_link_stays_open(fake, hooks, academy, mercadopago, manual_link):
    mp_payment(fake, "1311772474", status="rejected", reference=manual_link.reference, amount=80000)

    mp_notification(hooks, route_of(academy, mercadopago), "1311772474")

    assert _state(manual_link) == ("open", [("rejected", False, False)])


def test_another_workspaces_payment_id_changes_nothing_here_or_there(
    fake, hooks, workspaces, academy, mercadopago, manual_link, beta_owner
):
    """beta routes a notification naming alpha's payment: read with beta's token, MercadoPago
    knows no such payment for beta (404), and alpha's link is untouched."""
    with in_schema(workspaces.beta):
        from payments.services import connection_save

        beta = connection_save(
            provider="mercadopago",
            data={"access_token": "APP_USR-beta-token", "webhook_secret": "beta-secret"},
            user=beta_owner,
        )
    fake.get(
        "https://api.mercadopago.com/v1/payments/1311772475",
        json={"message": "Payment not found", "error": "not_found", "status": 404, "cause": []},
        status=404,
    )

    response = mp_notification(hooks, route_of(workspaces.beta, beta), "1311772475", secret="beta-secret")

    assert response.json()["outcome"] == "unknown payment"
    assert _state(manual_link) == ("open", [])
    with in_schema(workspaces.beta):
        assert not ProviderPayment.objects.exists()
    call = next(c for c in fake.calls if "/v1/payments/" in c.request.url)
    assert call.request.headers["Authorization"] == "Bearer APP_USR-beta-token"


def test_a_payment_whose_amount_differs_is_kept_with_the_problem_and_settles_nothing(
    fake, hooks, academy, mercadopago, manual_link
):
    mp_payment(fake, "1311772476", status="approved", reference=manual_link.reference, amount=1000)

    mp_notification(hooks, route_of(academy, mercadopago), "1311772476")

    payment = ProviderPayment.objects.get()
    assert (payment.status, payment.settled) == ("approved", False)
    assert payment.problem
    assert _state(manual_link)[0] == "open"


# --- Wompi: the family balance (registered by fees) ----------------------------------------------


@pytest.fixture
def balance_link(fake, wompi, siblings, enrol, next_month, staff):
    from datetime import timedelta

    from fees.services import tuition_run

    family, first, _second = siblings
    enrol(first, on=next_month - timedelta(days=40))
    tuition_run(period=next_month)
    return payment_link_create(kind="family_balance", ref=f"f{family.pk}", created_by=staff)


def test_a_wompi_approval_settles_the_familys_balance_through_fees(hooks, academy, wompi, balance_link):
    cents = int(balance_link.amount * 100)

    response = wompi_event(
        hooks,
        route_of(academy, wompi),
        transaction_id="1234-1610641025-49201",
        status="APPROVED",
        reference=f"{balance_link.reference}.18c2f",
        amount_in_cents=cents,
    )

    assert response.status_code == 200, response.content
    payment = Payment.objects.get()
    assert payment.amount == balance_link.amount
    assert "Wompi 1234-1610641025-49201" in payment.note
    assert payment.allocations.count() == 1
    assert _state(balance_link) == ("paid", [("approved", True, False)])


def test_a_voided_wompi_payment_reopens_the_balance_and_keeps_the_receipt(
    hooks, academy, wompi, balance_link
):
    cents = int(balance_link.amount * 100)
    route = route_of(academy, wompi)
    common = {
        "transaction_id": "1234-1610641025-49202",
        "reference": f"{balance_link.reference}.1",
        "amount_in_cents": cents,
    }
    wompi_event(hooks, route, status="APPROVED", **common)
    charges_before = Charge.objects.count()

    wompi_event(hooks, route, status="VOIDED", timestamp=int(time.time()) + 1, **common)

    assert Payment.objects.count() == 1
    reversal = Charge.objects.order_by("-pk").first()
    assert Charge.objects.count() == charges_before + 1 and reversal.amount == balance_link.amount
    assert _state(balance_link) == ("refunded", [("refunded", True, True)])


def test_a_wompi_event_with_a_bad_checksum_or_stale_timestamp_is_refused(hooks, academy, wompi, balance_link):
    cents = int(balance_link.amount * 100)
    route = route_of(academy, wompi)
    common = {
        "transaction_id": "1234-1",
        "status": "APPROVED",
        "reference": balance_link.reference,
        "amount_in_cents": cents,
    }
    audit_before = AuditEvent.objects.count()

    forged = wompi_event(hooks, route, secret="not-the-events-secret", **common)
    stale = wompi_event(hooks, route, timestamp=int(time.time()) - 3 * 24 * 3600, **common)

    assert (forged.status_code, stale.status_code) == (401, 401)
    assert not Payment.objects.exists() and not ProviderPayment.objects.exists()
    assert AuditEvent.objects.count() == audit_before
    balance_link.refresh_from_db()
    assert balance_link.status == PaymentLink.Status.OPEN


def test_when_mercadopago_cannot_be_read_the_event_is_left_for_its_retry(
    fake, hooks, academy, mercadopago, manual_link
):
    route = route_of(academy, mercadopago)
    fake.get("https://api.mercadopago.com/v1/payments/1311772477", json={"message": "boom"}, status=503)

    first = mp_notification(hooks, route, "1311772477", notification_id=901)

    assert first.status_code == 503
    assert _state(manual_link) == ("open", [])
    fake.replace(
        "GET",
        "https://api.mercadopago.com/v1/payments/1311772477",
        json={"id": 1311772477, "status": "approved", "external_reference": manual_link.reference,
              "transaction_amount": 80000.0, "currency_id": "COP"},
    )  # fmt: skip
    retry = mp_notification(hooks, route, "1311772477", notification_id=901)
    assert retry.json()["outcome"] == "approved"
    assert _state(manual_link) == ("paid", [("approved", True, False)])
