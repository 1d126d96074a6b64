"""The tuition screens: the owner sets fees and runs a month, the front desk records a payment and
prints the receipt, the owner corrects a charge and reads the overdue list."""

from datetime import timedelta
from decimal import Decimal

from fees.models import Charge, ClassFee, CreditNote, Payment
from fees.services import class_fee_set, fee_settings, tuition_run
from tests.customers.fixtures import web_client


def test_the_owner_sets_a_class_fee_and_runs_the_month(
    client_for, academy, owner, make_class, make_student, enrol, next_month
):
    academy_class = make_class(name="Ballet infantil", weekdays=[5])
    enrol(make_student("Ema Ballet"), on=next_month - timedelta(days=40), academy_class=academy_class)
    client = web_client(client_for, academy, owner)

    client.post("/fees/setup/", {f"fee_{academy_class.pk}": "85000"})
    run = client.post("/fees/setup/", {"month": f"{next_month:%Y-%m}"})
    again = client.post("/fees/setup/", {"month": f"{next_month:%Y-%m}"})
    page = client.get("/fees/setup/")

    assert ClassFee.objects.get(academy_class=academy_class).monthly_amount == Decimal("85000.00")
    assert run.status_code == 302 and again.status_code == 302
    assert Charge.objects.get().amount == Decimal("85000.00")
    assert f"{next_month:%Y-%m}" in page.text and "1 cobro" in page.text


def test_the_front_desk_records_a_payment_and_prints_the_receipt(
    client_for, academy, staff, siblings, enrol, next_month
):
    family, first, second = siblings
    enrol(first, on=next_month - timedelta(days=40))
    enrol(second, on=next_month - timedelta(days=40))
    tuition_run(period=next_month)
    client = web_client(client_for, academy, staff)

    accounts = client.get("/fees/")
    statement = client.get(f"/fees/accounts/f/{family.pk}/")
    paid = client.post(f"/fees/accounts/f/{family.pk}/", {"amount": "120000", "method": "transfer"})
    receipt = client.get(paid["Location"])
    after = client.get(f"/fees/accounts/f/{family.pk}/")

    assert "Familia Gómez" in accounts.text and "190.000" in accounts.text
    assert 'data-testid="total-owed"' not in accounts.text  # the books' total is for the money permission
    assert "Juan Gómez" in statement.text and "Sara Gómez" in statement.text
    payment = Payment.objects.get()
    assert paid.status_code == 302 and paid["Location"] == f"/fees/receipts/{payment.number}/"
    assert "120.000" in receipt.text and "Familia Gómez" in receipt.text and "Marta Gómez" in receipt.text
    assert "70.000" in after.text


def test_a_payment_of_zero_is_refused_and_nothing_is_recorded(
    client_for, academy, staff, siblings, enrol, next_month
):
    family, first, _second = siblings
    enrol(first, on=next_month - timedelta(days=40))
    tuition_run(period=next_month)

    response = web_client(client_for, academy, staff).post(
        f"/fees/accounts/f/{family.pk}/", {"amount": "0", "method": "cash"}
    )

    assert response.status_code == 200 and 'data-testid="form-error"' in response.text
    assert not Payment.objects.exists()


def test_the_owner_credits_a_charge_and_reads_the_overdue_list(
    client_for, academy, owner, siblings, enrol, next_month, make_class
):
    family, first, _second = siblings
    older = make_class(name="Salsa antigua", weekdays=[4], start_date=next_month - timedelta(days=150))
    class_fee_set(academy_class=older, monthly_amount=Decimal("100000"), user=owner)
    enrol(first, on=next_month - timedelta(days=100), academy_class=older)
    tuition_run(period=next_month - timedelta(days=62))  # two months ago: overdue now
    charge = Charge.objects.get()
    client = web_client(client_for, academy, owner)

    client.post(
        f"/fees/accounts/f/{family.pk}/credit-note/",
        {"charge": charge.pk, "amount": "30000", "reason": "Lesión"},
    )
    overdue = client.get("/fees/overdue/")
    accounts = client.get("/fees/")

    assert CreditNote.objects.get().amount == Decimal("30000.00")
    assert "Familia Gómez" in overdue.text and "70.000" in overdue.text
    assert 'data-testid="total-owed"' in accounts.text


def test_the_owner_sets_the_billing_rules_and_a_bad_day_changes_nothing(client_for, academy, owner):
    client = web_client(client_for, academy, owner)
    rules = {
        "billing_day": "5",
        "due_days": "15",
        "sibling_discount_percent": "12.5",
        "registration_fee": "60000",
    }

    saved = client.post("/fees/setup/", rules)
    refused = client.post("/fees/setup/", {**rules, "billing_day": "31"})

    settings = fee_settings()
    assert saved.status_code == 302 and refused.status_code == 200
    assert (settings.billing_day, settings.due_days) == (5, 15)
    assert settings.sibling_discount_percent == Decimal("12.50") and settings.registration_fee == Decimal(
        "60000.00"
    )
