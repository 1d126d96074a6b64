"""An online order paid through the business's own Wompi account: the status page sends the buyer
to Wompi's checkout, the signed approval notification marks the order paid on the board, and a
refund (VOIDED) marks it refunded. Wompi's client runs whole over a fake requests transport."""

import re
from urllib.parse import parse_qs, urlparse

import pytest
import responses

from orders.models import Order
from payments.models import PaymentLink, Provider
from payments.services import connection_save
from tenants.models import Tenant
from tests.orders.conftest import buyer_post
from tests.payments.conftest import (
    WOMPI_EVENTS,
    WOMPI_INTEGRITY,
    WOMPI_PRIVATE,
    WOMPI_PUBLIC,
    route_of,
    wompi_event,
)


@pytest.fixture
def wompi(alpha, owner):
    Tenant.objects.filter(pk=alpha.pk).update(currency="COP")
    alpha.refresh_from_db()
    return connection_save(
        provider=Provider.WOMPI,
        data={
            "public_key": WOMPI_PUBLIC,
            "private_key": WOMPI_PRIVATE,
            "events_secret": WOMPI_EVENTS,
            "integrity_secret": WOMPI_INTEGRITY,
        },
        user=owner,
    )


def _place(client, cafe, pastry) -> Order:
    response = client.post("/pedir/", buyer_post(cafe, {pastry: 2}))
    assert response.status_code == 302, response.content
    return Order.objects.get()


def test_without_a_provider_the_status_page_offers_payment_on_collection_only(
    client_for, alpha, cafe, pastry
):
    order = _place(client_for(alpha), cafe, pastry)

    page = client_for(alpha).get(f"/pedir/{order.token}/")

    assert page.status_code == 200
    assert "/pay/" not in page.text
    assert "Pagas cuando recibes tu pedido" in client_for(alpha).get("/pedir/").text
    assert not PaymentLink.objects.exists()


def test_an_order_paid_on_wompi_shows_paid_and_a_refund_shows_refunded(
    client_for, alpha, cafe, pastry, wompi
):
    buyer = client_for(alpha)
    assert "Paga en línea apenas hagas el pedido" in buyer.get("/pedir/").text
    order = _place(buyer, cafe, pastry)

    page = buyer.get(f"/pedir/{order.token}/")
    go = re.search(r'href="(/pay/[^"]+/go/)"', page.text)
    assert go, "the status page offers to pay online"
    link = PaymentLink.objects.get(kind="order", ref=str(order.pk))
    assert (link.amount, link.provider) == (order.total, "wompi")
    assert buyer.get(f"/pedir/{order.token}/").status_code == 200
    assert PaymentLink.objects.count() == 1  # the same link when the page is opened again

    checkout = buyer.get(go.group(1))
    assert checkout.status_code == 302
    query = parse_qs(urlparse(checkout["Location"]).query)
    assert query["public-key"] == [WOMPI_PUBLIC]
    assert query["amount-in-cents"] == [str(int(order.total * 100))]

    hooks = client_for(None)
    cents = int(order.total * 100)
    with responses.RequestsMock(assert_all_requests_are_fired=False):
        approved = wompi_event(
            hooks, route_of(alpha, wompi), transaction_id="1234-1610641025-49201", status="APPROVED",
            reference=query["reference"][0], amount_in_cents=cents,
        )  # fmt: skip
    assert approved.status_code == 200, approved.content
    order.refresh_from_db()
    assert order.payment_status == Order.PaymentStatus.PAID
    assert order.paid_amount == order.total

    with responses.RequestsMock(assert_all_requests_are_fired=False):
        voided = wompi_event(
            hooks, route_of(alpha, wompi), transaction_id="1234-1610641025-49201", status="VOIDED",
            reference=query["reference"][0], amount_in_cents=cents,
        )  # fmt: skip
    assert voided.status_code == 200, voided.content
    order.refresh_from_db()
    assert order.payment_status == Order.PaymentStatus.REFUNDED
    assert "Wompi" in order.payment_note
