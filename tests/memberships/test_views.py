"""The screens: the owner's catalogue of offers, the front desk selling a pack to a student, pauses."""

from datetime import timedelta

from django.utils import timezone

from academy.services.common import workspace_zone
from inventory.models import Product, Sale
from memberships.models import Entitlement, Freeze, Offer
from tests.customers.fixtures import web_client


def test_the_owner_adds_a_class_pack_sold_as_a_service(client_for, academy, owner, salsa):
    client = web_client(client_for, academy, owner)

    response = client.post(
        "/memberships/offers/",
        {
            "kind": "pack",
            "name": "Paquete 8 clases",
            "price": "120000",
            "class_types": [salsa.pk],
            "credits": "8",
            "valid_days": "60",
            "valid_from": "first_use",
        },
    )
    page = client.get("/memberships/offers/")

    assert response.status_code == 302
    offer = Offer.objects.get()
    assert offer.credits == 8 and offer.valid_from == "first_use" and list(offer.class_types.all()) == [salsa]
    assert offer.price == 120000 and offer.product.tracks_stock is False
    assert "Paquete 8 clases" in page.text and "120.000" in page.text and "8 clases" in page.text


def test_a_pack_without_its_classes_is_refused_and_nothing_is_created(client_for, academy, owner):
    client = web_client(client_for, academy, owner)

    response = client.post(
        "/memberships/offers/",
        {"kind": "pack", "name": "Paquete roto", "price": "1000", "valid_from": "sale"},
    )

    assert response.status_code == 200 and 'data-testid="form-error"' in response.text
    assert not Offer.objects.exists() and not Product.objects.exists()


def test_the_front_desk_finds_a_student_and_sells_a_pack(
    client_for, academy, staff, site, make_student, make_offer
):
    make_offer("Paquete 4 clases", credits=4, valid_days=30)
    student = make_student("Lucía Compradora")
    client = web_client(client_for, academy, staff)
    offer = Offer.objects.get()

    found = client.get("/memberships/students/", {"q": "Compradora"})
    sold = client.post(
        f"/memberships/students/{student.pk}/",
        {"offer": offer.pk, "site": site.pk, "payment_method": "cash", "amount_tendered": "150000"},
    )
    page = client.get(f"/memberships/students/{student.pk}/")

    assert f"/memberships/students/{student.pk}/" in found.text
    assert sold.status_code == 302
    sale = Sale.objects.get()
    assert sale.customer_name == "Lucía Compradora" and sale.total == 120000
    entitlement = Entitlement.objects.get(student=student)
    assert entitlement.sale_line.sale == sale and entitlement.credits_total == 4
    assert "Paquete 4 clases" in page.text and "4 de 4" in page.text


def test_a_short_cash_payment_is_refused_and_nothing_is_sold(
    client_for, academy, staff, site, make_student, make_offer
):
    offer = make_offer("Paquete caro", credits=4, valid_days=30, price="200000")
    student = make_student()
    client = web_client(client_for, academy, staff)

    response = client.post(
        f"/memberships/students/{student.pk}/",
        {"offer": offer.pk, "site": site.pk, "payment_method": "cash", "amount_tendered": "1000"},
    )

    assert response.status_code == 200 and 'data-testid="form-error"' in response.text
    assert not Sale.objects.exists() and not Entitlement.objects.exists()


def test_the_owner_pauses_a_membership_and_staff_may_not(
    client_for, academy, owner, staff, make_student, make_offer, sell
):
    student = make_student()
    entitlement = sell(make_offer("Mensual", kind="membership", price="150000"), student).entitlement
    today = timezone.localdate(timezone=workspace_zone())
    form = {
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=9)).isoformat(),
        "reason": "Viaje",
    }

    refused = web_client(client_for, academy, staff).post(
        f"/memberships/entitlements/{entitlement.pk}/freeze/", form
    )
    assert refused.status_code == 403 and not Freeze.objects.exists()
    done = web_client(client_for, academy, owner).post(
        f"/memberships/entitlements/{entitlement.pk}/freeze/", form
    )

    assert done.status_code == 302
    before = entitlement.ends_on
    entitlement.refresh_from_db()
    assert entitlement.ends_on == before + timedelta(days=10)
    assert Freeze.objects.get().reason == "Viaje"
