"""A flood of signups from one address or one email domain creates at most the configured number
of workspaces; the rest are told to wait, and nothing is created for them."""

from celery import current_app
from django.core import mail
from django.test import override_settings

from tenants.models import Tenant
from tests.tenants.human import signup_post
from tests.tenants.test_signup import VALID


def signup_from(client, address, n, domain="example.com"):
    data = {**VALID, "subdomain": f"flood-{n}", "owner_email": f"owner{n}@{domain}"}
    return signup_post(client, data, REMOTE_ADDR=address)


@override_settings(SIGNUP_RATE_PER_ADDRESS="3/h", SIGNUP_RATE_PER_EMAIL_DOMAIN="1000/h")
def test_one_address_creates_at_most_the_configured_number_of_workspaces(
    client_for, django_capture_on_commit_callbacks
):
    client = client_for(None)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        answers = [signup_from(client, "203.0.113.50", n).status_code for n in range(5)]
        other_visitor = signup_from(client, "198.51.100.9", 99)
    # What the flood mailed: the tasks queued after commit, run here as a worker would.
    current_app.conf.task_always_eager = True
    try:
        for callback in callbacks:
            callback()
    finally:
        current_app.conf.task_always_eager = False

    assert len(mail.outbox) == 4  # one confirmation per workspace created, and nothing else
    assert all(m.subject.startswith("Confirma tu correo") for m in mail.outbox), [
        m.subject for m in mail.outbox
    ]
    assert all(Tenant.objects.get(email=m.to[0]).status == Tenant.Status.UNCONFIRMED for m in mail.outbox)

    assert answers == [302, 302, 302, 429, 429]
    assert Tenant.objects.filter(slug__startswith="flood-").count() == 4  # three + the other visitor
    assert other_visitor.status_code == 302
    refused = signup_from(client, "203.0.113.50", 7)
    assert "Too many workspaces" in refused.text or "Demasiados espacios" in refused.text
    assert not Tenant.objects.filter(slug="flood-7").exists()


@override_settings(SIGNUP_RATE_PER_ADDRESS="1000/h", SIGNUP_RATE_PER_EMAIL_DOMAIN="2/h")
def test_one_email_domain_creates_at_most_the_configured_number_from_many_addresses(client_for):
    client = client_for(None)

    answers = [signup_from(client, f"203.0.113.{n}", n, domain="flood.test").status_code for n in range(4)]

    assert answers == [302, 302, 429, 429]
    assert signup_from(client, "203.0.113.77", 77, domain="bakery.test").status_code == 302
