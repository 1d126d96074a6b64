"""Self-service signup on the public site: validation, provisioning, the one-time link, the race."""

import re
import threading
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_exists

from accounts.models import LoginToken, User
from tenants.confirmation import confirmation_token
from tenants.emails import send_signup_confirmation, send_welcome_email
from tenants.exceptions import SubdomainTaken
from tenants.legal import PRIVACY_VERSION, TERMS_VERSION
from tenants.models import Domain, LegalAcceptance, Tenant, TenantEvent
from tenants.signup import tenant_signup
from tenants.tasks import purge_unconfirmed_workspaces
from tests.conftest import in_schema
from tests.tenants.human import altcha_solve, signup_post

VALID = {
    "business_name": "Panadería La Espiga",
    "subdomain": "la-espiga",
    "kind": "shop",
    "country": "AR",
    "currency": "ARS",
    "time_zone": "America/Argentina/Cordoba",
    "language": "es",
    "owner_name": "Rosa Díaz",
    "owner_email": "Rosa@Example.com",
    "password": "harina-y-levadura-2026",
    "accept_terms": "on",
    "accept_privacy": "on",
}


def post_signup(client, **changes):
    data = {**VALID, **changes}
    return signup_post(client, {k: v for k, v in data.items() if v is not None}, REMOTE_ADDR="203.0.113.7")


def confirm_path(tenant) -> str:
    """The path of the link the confirmation email carries (as tenants.emails builds it)."""
    return f"/confirm/{confirmation_token(tenant)}/"


def signed_up_and_confirmed(client) -> str:
    """Sign up, follow the confirmation link; the one-time sign-in path it leads to."""
    post_signup(client)
    tenant = Tenant.objects.get(slug="la-espiga")
    response = Client(HTTP_HOST="la-espiga.localhost").get(confirm_path(tenant))
    assert response.status_code == 302, response.status_code
    return response["Location"]


def field_errors(response, field):
    return re.findall(rf'<span class="error" data-field="{field}">(.*?)</span>', response.text)


def test_landing_shows_the_plans_with_prices(client_for):
    response = client_for(None).get("/?currency=COP")

    assert response.status_code == 200
    for name in ("Gratis", "Básico", "Profesional", "Enterprise"):
        assert name in response.text
    # Pesos colombianos are written without centavos.
    assert "$150.000" in response.text.replace("\xa0", "") and "150.000,00" not in response.text
    assert "1.000 productos" in response.text


def test_signup_creates_an_unconfirmed_workspace_and_mails_only_the_confirmation(
    client_for, django_capture_on_commit_callbacks
):
    client = client_for(None)
    with django_capture_on_commit_callbacks() as callbacks:
        response = post_signup(client)

    assert response.status_code == 302
    assert response["Location"] == "http://la-espiga.localhost/"
    tenant = Tenant.objects.get(slug="la-espiga")
    assert tenant.schema_name == "la_espiga"
    assert tenant.status == Tenant.Status.UNCONFIRMED
    assert tenant.trial_ends_at is None
    assert tenant.plan.code == "profesional"
    assert (tenant.currency, tenant.country, tenant.time_zone, tenant.language) == (
        "ARS",
        "AR",
        "America/Argentina/Cordoba",
        "es",
    )
    assert Domain.objects.filter(tenant=tenant, domain="la-espiga.localhost", is_primary=True).exists()
    accepted = {(a.document, a.version, a.ip_address) for a in LegalAcceptance.objects.filter(tenant=tenant)}
    assert accepted == {("terms", TERMS_VERSION, "203.0.113.7"), ("privacy", PRIVACY_VERSION, "203.0.113.7")}
    assert len(callbacks) == 1  # the confirmation email, queued after commit (no welcome yet)

    # The workspace says "check your email" on every path, with a button to send it again.
    workspace = Client(HTTP_HOST="la-espiga.localhost")
    for path in ("/", "/products/", "/accounts/login/"):
        page = workspace.get(path)
        assert page.status_code == 403, path
        assert "Revisa tu correo" in page.text and "rosa@example.com" in page.text
        assert 'action="/confirm/resend/"' in page.text
    api = workspace.get("/api/v1/products/")
    assert api.status_code == 403 and api.json()["code"] == "workspace_unconfirmed"


def test_confirmation_email_link_opens_the_workspace_and_lands_the_owner_signed_in(
    client_for, django_capture_on_commit_callbacks
):
    post_signup(client_for(None), language="en")
    tenant = Tenant.objects.get(slug="la-espiga")

    send_signup_confirmation(tenant.pk)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["rosa@example.com"]
    assert message.subject == "Confirm your email to open Panadería La Espiga"
    link = re.search(r"http://la-espiga\.localhost(/confirm/[^/\s]+/)", message.body).group(1)
    workspace = Client(HTTP_HOST="la-espiga.localhost")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        confirmed = workspace.get(link)
    assert confirmed.status_code == 302
    assert re.fullmatch(r"/team/welcome/[\w-]+/", confirmed["Location"])
    assert len(callbacks) == 1  # now the welcome email
    tenant.refresh_from_db()
    assert tenant.status == Tenant.Status.TRIAL
    assert timedelta(days=13, hours=23) < tenant.trial_ends_at - timezone.now() <= timedelta(days=14)
    assert TenantEvent.objects.filter(tenant=tenant, action=TenantEvent.Action.CONFIRMED).count() == 1

    landed = workspace.get(confirmed["Location"], follow=True)
    assert landed.status_code == 200
    assert "Welcome, Rosa" in landed.text or "Te damos la bienvenida, Rosa" in landed.text
    with in_schema(tenant):
        owner = User.objects.get()
        assert (owner.email, owner.role, owner.full_name) == ("rosa@example.com", "owner", "Rosa Díaz")
    # Clicked twice: a fresh sign-in, the trial unchanged, no second welcome.
    with django_capture_on_commit_callbacks(execute=False) as again:
        assert Client(HTTP_HOST="la-espiga.localhost").get(link).status_code == 302
    assert again == []
    assert Tenant.objects.get(pk=tenant.pk).trial_ends_at == tenant.trial_ends_at


def test_confirmation_link_is_worthless_forged_or_on_another_workspace(client_for, workspaces):
    post_signup(client_for(None))
    tenant = Tenant.objects.get(slug="la-espiga")
    path = confirm_path(tenant)

    elsewhere = client_for(workspaces.alpha).get(path)
    forged = Client(HTTP_HOST="la-espiga.localhost").get(path[:-4] + "xyz/")
    alpha_token = Client(HTTP_HOST="la-espiga.localhost").get(confirm_path(workspaces.alpha))

    assert elsewhere.status_code == 400
    assert forged.status_code == 400
    assert alpha_token.status_code == 400
    assert Tenant.objects.get(pk=tenant.pk).status == Tenant.Status.UNCONFIRMED


def test_resend_sends_the_confirmation_again_a_few_times_an_hour(client_for):
    post_signup(client_for(None))
    tenant = Tenant.objects.get(slug="la-espiga")
    workspace = Client(HTTP_HOST="la-espiga.localhost")

    answers = [workspace.post("/confirm/resend/") for _ in range(4)]

    assert [a.status_code for a in answers] == [200, 200, 200, 429]  # still "check your email"
    assert all("Revisa tu correo" in a.text for a in answers)
    assert "Enviamos el correo de nuevo a rosa@example.com" in answers[0].text
    assert "varias veces" in answers[3].text
    assert Tenant.objects.get(pk=tenant.pk).status == Tenant.Status.UNCONFIRMED


def test_unconfirmed_workspaces_are_purged_after_48_hours(client_for):
    post_signup(client_for(None))
    tenant = Tenant.objects.get(slug="la-espiga")

    assert purge_unconfirmed_workspaces(now=timezone.now() + timedelta(hours=47)) == []
    assert schema_exists("la_espiga")
    purged = purge_unconfirmed_workspaces(now=(timezone.now() + timedelta(hours=48, minutes=1)).isoformat())

    assert purged == ["la-espiga"]
    assert not schema_exists("la_espiga")
    assert not Tenant.objects.filter(pk=tenant.pk).exists()
    assert TenantEvent.objects.filter(tenant_ref=tenant.pk, action=TenantEvent.Action.PURGED).exists()
    assert purge_unconfirmed_workspaces(now=timezone.now() + timedelta(days=3)) == []


def test_signup_without_the_proof_of_work_is_refused(client_for):
    client = client_for(None)
    client.get("/signup/")

    missing = client.post("/signup/", VALID, REMOTE_ADDR="203.0.113.7")
    forged = client.post(
        "/signup/", {**VALID, "altcha": "eyJjaGFsbGVuZ2UiOnt9fQ=="}, REMOTE_ADDR="203.0.113.7"
    )

    for response in (missing, forged):
        assert response.status_code == 200
        assert field_errors(response, "altcha"), response.text[:200]
    assert not Tenant.objects.filter(slug="la-espiga").exists()


def test_a_solved_challenge_counts_once(client_for):
    client = client_for(None)
    payload = altcha_solve(client.get("/signup/").content.decode())

    first = client.post("/signup/", {**VALID, "altcha": payload}, REMOTE_ADDR="203.0.113.7")
    replayed = client.post(
        "/signup/", {**VALID, "subdomain": "otra-espiga", "altcha": payload}, REMOTE_ADDR="203.0.113.7"
    )

    assert first.status_code == 302
    assert replayed.status_code == 200 and field_errors(replayed, "altcha")
    assert not Tenant.objects.filter(slug="otra-espiga").exists()


def test_welcome_email_has_text_and_html_in_the_workspace_language(client_for):
    post_signup(client_for(None), language="en")
    tenant = Tenant.objects.get(slug="la-espiga")
    Client(HTTP_HOST="la-espiga.localhost").get(confirm_path(tenant))

    send_welcome_email(tenant.pk)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["rosa@example.com"]
    assert message.subject == "Welcome to Stockwise, Panadería La Espiga"
    assert "http://la-espiga.localhost/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "Your workspace Panadería La Espiga is ready." in html


def test_one_time_link_works_once(client_for):
    path = signed_up_and_confirmed(client_for(None))
    workspace = Client(HTTP_HOST="la-espiga.localhost")
    assert workspace.get(path).status_code == 302

    again = Client(HTTP_HOST="la-espiga.localhost").get(path)

    assert again.status_code == 400
    assert "Este enlace ya no funciona" in again.text


def test_one_time_link_expires_in_minutes(client_for):
    path = signed_up_and_confirmed(client_for(None))
    with in_schema(Tenant.objects.get(slug="la-espiga")):
        LoginToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    response = Client(HTTP_HOST="la-espiga.localhost").get(path)

    assert response.status_code == 400


def test_one_time_link_is_worthless_on_another_workspace(client_for, workspaces):
    path = signed_up_and_confirmed(client_for(None))

    response = client_for(workspaces.alpha).get(path)

    assert response.status_code == 400
    assert client_for(workspaces.alpha).get("/").status_code == 302


@pytest.mark.parametrize(
    ("subdomain", "message"),
    [
        ("ab", "entre 3 y 40 caracteres"),
        ("a" * 41, "entre 3 y 40 caracteres"),
        ("-espiga", "sin guion al principio ni al final"),
        ("espiga-", "sin guion al principio ni al final"),
        ("la_espiga", "Usa solo letras minúsculas"),
        ("la espiga", "Usa solo letras minúsculas"),
        ("xn--espiga", "Usa solo letras minúsculas"),
        ("www", "está reservada"),
        ("admin", "está reservada"),
        ("api", "está reservada"),
    ],
)
def test_bad_subdomains_get_their_own_message_in_spanish(client_for, subdomain, message):
    response = post_signup(client_for(None), subdomain=subdomain)

    assert response.status_code == 200
    errors = field_errors(response, "subdomain")
    assert len(errors) == 1 and message in errors[0], errors
    assert not Tenant.objects.filter(name=VALID["business_name"]).exists()


def test_uppercase_subdomain_is_lowered(client_for):
    response = post_signup(client_for(None), subdomain="La-Espiga")

    assert response.status_code == 302
    assert Tenant.objects.filter(slug="la-espiga").exists()


def test_taken_subdomain_gets_free_suggestions(client_for, workspaces):
    response = post_signup(client_for(None), subdomain="alpha")

    errors = field_errors(response, "subdomain")
    assert len(errors) == 1
    assert "ya está en uso" in errors[0]
    suggestions = re.findall(r"alpha-shop|mi-alpha|alpha-\d", errors[0])
    assert suggestions
    assert not Tenant.objects.filter(slug__in=suggestions).exists()


def test_every_bad_field_gets_its_own_message(client_for):
    response = post_signup(
        client_for(None),
        business_name="",
        owner_email="not-an-email",
        password="123",
        accept_terms=None,
        accept_privacy=None,
        kind="factory",
    )

    assert response.status_code == 200
    assert field_errors(response, "business_name") == ["Este campo es requerido."]
    assert "correo electrónico válida" in field_errors(response, "owner_email")[0]
    assert any("demasiado corta" in e for e in field_errors(response, "password"))
    assert "aceptar los Términos" in field_errors(response, "accept_terms")[0]
    assert "aceptar la Política de privacidad" in field_errors(response, "accept_privacy")[0]
    assert "Escoja una opción válida" in field_errors(response, "kind")[0]
    assert Tenant.objects.count() == Tenant.objects.exclude(name=VALID["business_name"]).count()


def test_messages_follow_the_visitor_language(client_for):
    client = client_for(None)
    client.cookies["django_language"] = "en"

    response = post_signup(client, subdomain="www", accept_terms=None)

    assert "is reserved" in field_errors(response, "subdomain")[0]
    assert "You must accept the Terms" in field_errors(response, "accept_terms")[0]


def test_a_failure_midway_leaves_nothing_behind(db, workspaces):
    with pytest.raises(Exception, match="inet"):
        tenant_signup(
            business_name="Roto",
            subdomain="roto",
            kind="shop",
            country="AR",
            currency="ARS",
            time_zone="UTC",
            language="es",
            owner_name="R",
            owner_email="r@example.com",
            owner_password="clave-larga-2026",
            ip_address="not-an-ip",  # the database refuses it after the schema was made
        )

    assert not Tenant.objects.filter(slug="roto").exists()
    assert not Domain.objects.filter(domain__startswith="roto.").exists()
    assert not schema_exists("roto")


def test_two_signups_racing_for_one_subdomain(workspaces, committed):
    """Two real connections (threads) sign up at once: one wins, the other is told, and no
    half-made schema or orphan row is left."""
    slug = "carrera"
    barrier = threading.Barrier(2)
    outcomes = []

    def attempt(n):
        barrier.wait()
        try:
            tenant_signup(
                business_name=f"Carrera {n}",
                subdomain=slug,
                kind="shop",
                country="AR",
                currency="ARS",
                time_zone="UTC",
                language="es",
                owner_name="C",
                owner_email=f"c{n}@example.com",
                owner_password="clave-larga-2026",
                ip_address="127.0.0.1",
            )
            outcomes.append("won")
        except SubdomainTaken:
            outcomes.append("taken")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in (1, 2)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

        assert sorted(outcomes) == ["taken", "won"]
        assert Tenant.objects.filter(slug=slug).count() == 1
        assert Domain.objects.filter(domain=f"{slug}.localhost").count() == 1
        tenant = Tenant.objects.get(slug=slug)
        assert LegalAcceptance.objects.filter(tenant=tenant).count() == 2
        with in_schema(tenant):
            assert User.objects.count() == 1
    finally:
        for tenant in Tenant.objects.filter(slug=slug):
            tenant.delete(force_drop=True)
    assert not schema_exists(slug)


def test_a_cloned_workspace_is_migrated_like_the_template(client_for):
    post_signup(client_for(None))
    tenant = Tenant.objects.get(slug="la-espiga")

    def applied(schema):
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT app, name FROM "{schema}".django_migrations')
            return set(cursor.fetchall())

    template = applied(settings.TENANT_BASE_SCHEMA)
    assert template and applied(tenant.schema_name) == template
    with in_schema(tenant):  # and the cloned tables answer: the owner is there, nothing else
        assert User.objects.count() == 1
