"""Customers through the screens: register, find, edit; duplicates, minors and phones."""

from datetime import date

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from customers.models import Customer
from customers.services import CustomerInput, customer_create
from tenants.models import Tenant
from tests.conftest import in_schema
from tests.customers.fixtures import is_login_redirect, web_client


def form(**overrides):
    data = {
        "full_name": "Valentina Restrepo",
        "document_type": "CC",
        "document_number": "1.020.304.050",
        "email": "Vale@Example.com",
        "phone": "300 123 4567",
        "birth_date": "1995-04-02",
        "tags": "salsa, Nivel 1",
        "notes": "",
        "consent_source": "form",
        "whatsapp_consent": "on",
    }
    data.update(overrides)
    return data


@pytest.fixture(autouse=True)
def _colombian_workspace(alpha, workspaces):
    """alpha is a Colombian business here: numbers without +country are Colombian."""
    Tenant.objects.filter(pk=workspaces.alpha.pk).update(country="CO")


def test_front_desk_registers_a_customer_with_a_colombian_phone(client_for, workspaces, staff):
    client = web_client(client_for, workspaces.alpha, staff)

    response = client.post("/customers/new/", form())

    assert response.status_code == 302
    with in_schema(workspaces.alpha):
        customer = Customer.objects.get(full_name="Valentina Restrepo")
        assert customer.phone == "+573001234567"
        assert customer.email == "vale@example.com"
        assert customer.document_number == "1.020.304.050"
        assert customer.tags == ["nivel 1", "salsa"]
        assert customer.whatsapp_consent and customer.whatsapp_consent_source == "form"
        assert customer.whatsapp_consent_at is not None
        assert not customer.marketing_email_consent and customer.marketing_email_consent_at is None
        assert AuditEvent.objects.filter(action="customer.created").exists()
    card = client.get(response["Location"])
    assert "Valentina Restrepo" in card.text and "+573001234567" in card.text


def test_phone_with_country_code_is_kept_and_nonsense_is_refused(client_for, workspaces, owner):
    client = web_client(client_for, workspaces.alpha, owner)

    refused = client.post("/customers/new/", form(phone="12345"))
    accepted = client.post("/customers/new/", form(phone="+54 9 11 2345-6789"))

    assert refused.status_code == 400
    assert "número de teléfono válido" in refused.text
    assert accepted.status_code == 302
    with in_schema(workspaces.alpha):
        assert list(Customer.objects.values_list("phone", flat=True)) == ["+5491123456789"]


def test_same_document_is_refused_naming_the_existing_customer(client_for, workspaces, owner):
    client = web_client(client_for, workspaces.alpha, owner)
    client.post("/customers/new/", form())

    response = client.post(
        "/customers/new/",
        form(full_name="Otra Persona", email="otra@example.com", phone="", allow_duplicate="on"),
    )

    assert response.status_code == 400
    assert "Valentina Restrepo" in response.text
    with in_schema(workspaces.alpha):
        assert Customer.objects.count() == 1


def test_shared_phone_is_refused_unless_the_user_confirms(client_for, workspaces, owner):
    client = web_client(client_for, workspaces.alpha, owner)
    client.post("/customers/new/", form())
    sister = form(full_name="Sara Restrepo", document_number="99887766", email="")

    refused = client.post("/customers/new/", sister)
    confirmed = client.post("/customers/new/", {**sister, "allow_duplicate": "on"})

    assert refused.status_code == 400 and "mismo teléfono" in refused.text
    assert confirmed.status_code == 302
    with in_schema(workspaces.alpha):
        assert Customer.objects.filter(phone="+573001234567").count() == 2


def test_a_minor_needs_a_guardian_and_joins_a_family(client_for, workspaces, owner):
    client = web_client(client_for, workspaces.alpha, owner)
    client.post("/customers/new/", form(new_family="Familia Restrepo"))
    child = form(full_name="Tomás Restrepo", document_type="TI", document_number="1122", email="", phone="")
    child["birth_date"] = date(timezone.localdate().year - 9, 1, 15).isoformat()

    refused = client.post("/customers/new/", child)
    with in_schema(workspaces.alpha):
        mother = Customer.objects.get(full_name="Valentina Restrepo")
    accepted = client.post("/customers/new/", {**child, "guardian": mother.pk, "family": mother.family_id})

    assert refused.status_code == 400 and "necesita un acudiente" in refused.text
    assert accepted.status_code == 302
    with in_schema(workspaces.alpha):
        tomas = Customer.objects.get(full_name="Tomás Restrepo")
        assert tomas.guardian == mother and tomas.contact == mother
        assert tomas.family.name == "Familia Restrepo"
    card = client.get(f"/customers/{mother.pk}/")
    assert "Tomás Restrepo" in card.text


def test_list_searches_by_name_document_email_and_phone(client_for, workspaces, staff):
    with in_schema(workspaces.alpha):
        customer_create(
            data=CustomerInput(full_name="Andrés Gómez", document_number="777", phone="+573105556677")
        )
        customer_create(data=CustomerInput(full_name="Lucía Pérez", email="lucia@example.com"))
    client = web_client(client_for, workspaces.alpha, staff)

    for query, expected in [
        ("andrés", "Andrés Gómez"),
        ("777", "Andrés Gómez"),
        ("LUCIA@", "Lucía Pérez"),
        ("3105556677", "Andrés Gómez"),
    ]:
        response = client.get("/customers/", {"q": query})
        assert expected in response.text, query
        assert response.text.count('data-testid="list-row"') == 1, query


def test_edit_changes_the_customer_and_withdrawn_consent_loses_its_date(client_for, workspaces, owner):
    with in_schema(workspaces.alpha):
        customer = customer_create(
            data=CustomerInput(
                full_name="Camilo Ruiz", marketing_email_consent=True, marketing_email_consent_source="web"
            )
        )
    client = web_client(client_for, workspaces.alpha, owner)

    response = client.post(f"/customers/{customer.pk}/edit/", form(full_name="Camilo Ruiz Díaz", phone=""))

    assert response.status_code == 302
    with in_schema(workspaces.alpha):
        customer.refresh_from_db()
        assert customer.full_name == "Camilo Ruiz Díaz"
        assert not customer.marketing_email_consent and customer.marketing_email_consent_at is None


@pytest.fixture
def alpha_customer(alpha):
    return customer_create(data=CustomerInput(full_name="Cliente de Alpha"))


def routes(customer):
    return ["/customers/", "/customers/new/", f"/customers/{customer.pk}/", f"/customers/{customer.pk}/edit/"]


def test_anonymous_and_teachers_are_kept_out(client_for, workspaces, alpha_customer, teacher_user):
    anonymous = client_for(workspaces.alpha)
    teacher = web_client(client_for, workspaces.alpha, teacher_user)
    for url in routes(alpha_customer):
        assert is_login_redirect(anonymous.get(url)), url
        assert teacher.get(url).status_code == 403, url


def test_another_workspaces_user_never_sees_alphas_customers(
    client_for, workspaces, alpha_customer, owner, beta_owner
):
    beta = web_client(client_for, workspaces.beta, beta_owner)

    assert "Cliente de Alpha" not in beta.get("/customers/").text
    assert beta.get(f"/customers/{alpha_customer.pk}/").status_code == 404
    assert beta.get(f"/customers/{alpha_customer.pk}/edit/").status_code == 404
    # alpha's session cookie means nothing on beta's host
    alpha = web_client(client_for, workspaces.alpha, owner)
    stolen = client_for(workspaces.beta)
    stolen.cookies["sessionid"] = alpha.cookies["sessionid"].value
    assert is_login_redirect(stolen.get("/customers/"))
