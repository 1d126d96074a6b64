"""Payment reminders: before due, on the due date and a week late, once per charge and stage, to
the payer in the workspace's language; the link in the email stops them."""

from datetime import timedelta
from decimal import Decimal

from django.core import mail

from fees.accounts import account_of
from fees.emails import reminders_send
from fees.models import Charge, Reminder, ReminderOptOut
from fees.services import payment_record, tuition_run


def test_reminders_go_once_per_stage_and_the_link_stops_them(
    client_for, academy, staff, siblings, enrol, next_month, make_student
):
    family, first, second = siblings
    first.guardian.email = "marta@example.com"
    first.guardian.save(update_fields=["email"])
    enrol(first, on=next_month - timedelta(days=40))
    enrol(second, on=next_month - timedelta(days=40))
    paid_up = make_student("Pepe Puntual", email="pepe@example.com")
    enrol(paid_up, on=next_month - timedelta(days=40))
    tuition_run(period=next_month)
    payment_record(account=account_of(paid_up), amount=Decimal("100000"), method="cash", user=staff)
    due = Charge.objects.filter(family=family).first().due_on

    before = reminders_send(today=due - timedelta(days=2))
    before_again = reminders_send(today=due - timedelta(days=1))
    on_due = reminders_send(today=due)

    assert before == 1 and before_again == 0 and on_due == 1
    assert [message.to for message in mail.outbox] == [["marta@example.com"], ["marta@example.com"]]
    body = mail.outbox[0].body
    assert "Juan Gómez" in body and "Sara Gómez" in body and "Pepe" not in body
    assert Reminder.objects.filter(stage="before_due").count() == 2  # one per charge, one email

    token_path = next(word for word in body.split() if "/fees/reminders/stop/" in word)
    path = token_path[token_path.index("/fees/") :]
    asked = client_for(academy).get(path)
    stopped = client_for(academy).post(path)
    late = reminders_send(today=due + timedelta(days=8))

    assert asked.status_code == 200 and "Marta Gómez" in asked.text
    assert stopped.status_code == 200 and 'data-testid="unsubscribed"' in stopped.text
    assert ReminderOptOut.objects.filter(payer=first.guardian).exists()
    assert late == 0 and len(mail.outbox) == 2
    assert client_for(academy).get("/fees/reminders/stop/forged-token/").status_code == 404
