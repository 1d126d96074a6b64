"""Two deliveries of the same MercadoPago notification at once (it retries, and a proxy may
duplicate): both are verified and both read the payment from MercadoPago at the same moment (no
lock held while they wait), then the link's row lock lets one settle it and the other find nothing
to change. Committed data: a workspace of its own, created and dropped by this module."""

import json
import threading
from decimal import Decimal

import pytest
import responses
from django.conf import settings
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context

from accounts.models import User
from audit.models import AuditEvent
from payments.models import PaymentLink, Provider, ProviderPayment
from payments.services import connection_save, manual_charge_create, payment_link_create
from tenants.models import Tenant
from tenants.services import tenant_create
from tests.conftest import PASSWORD
from tests.payments.conftest import MP_API, MP_SECRET, MP_TOKEN, mp_notification, preference_created

SLUG = "pagos-concurrentes"


@pytest.fixture
def in_pesos_colombianos():
    """Not alpha here (the package's autouse fixture would wrap this test in a transaction)."""


@pytest.fixture(scope="module")
def workspace(workspaces, django_db_blocker):
    with django_db_blocker.unblock():
        Tenant.objects.filter(slug=SLUG).first() and Tenant.objects.get(slug=SLUG).delete(force_drop=True)
        tenant = tenant_create(
            slug=SLUG, name="Pagos SAS", owner_email=f"owner@{SLUG}.test", owner_password=PASSWORD,
            country="CO", currency="COP", time_zone="America/Bogota",
        )  # fmt: skip
    yield tenant
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        tenant.delete(force_drop=True)


def test_two_deliveries_at_once_settle_the_payment_once(workspace, django_db_blocker):
    with django_db_blocker.unblock(), schema_context(workspace.schema_name), responses.RequestsMock() as fake:
        owner = User.objects.get(email=f"owner@{SLUG}.test")
        mercadopago = connection_save(
            provider=Provider.MERCADOPAGO,
            data={"access_token": MP_TOKEN, "webhook_secret": MP_SECRET},
            user=owner,
        )
        preference_created(fake)
        charge = manual_charge_create(description="Clase privada", amount=Decimal("50000"), user=owner)
        link = payment_link_create(kind="manual", ref=charge.pk, created_by=owner)
        route = f"{SLUG}.{mercadopago.route_token}"

        both_fetching = threading.Barrier(2, timeout=20)

        def payment_answer(request):
            both_fetching.wait()  # each delivery reads MercadoPago while the other does too
            body = {
                "id": 1311772499,
                "status": "approved",
                "external_reference": link.reference,
                "transaction_amount": 50000.0,
                "currency_id": "COP",
                "payment_method_id": "pse",
            }
            return 200, {}, json.dumps(body)

        fake.add_callback(responses.GET, f"{MP_API}/v1/payments/1311772499", callback=payment_answer)
        outcomes = []

        def deliver():
            hooks = Client(HTTP_HOST=settings.BASE_DOMAIN)
            outcomes.append(
                mp_notification(hooks, route, "1311772499", notification_id=777).json()["outcome"]
            )
            connection.close()

        threads = [threading.Thread(target=deliver) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

        assert sorted(outcomes) == ["approved", "unchanged"]
        assert list(ProviderPayment.objects.values_list("status", "settled")) == [("approved", True)]
        assert PaymentLink.objects.get().status == PaymentLink.Status.PAID
        assert AuditEvent.objects.filter(action="payments.payment_approved").count() == 1
        fetches = [call for call in fake.calls if "/v1/payments/" in call.request.url]
        assert len(fetches) == 2
