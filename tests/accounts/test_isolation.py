"""A workspace's users, sessions and reset links are worthless on another workspace."""

import re

from django.core import mail

from accounts.models import User
from accounts.services import user_create
from tests.conftest import PASSWORD, in_schema


def sign_in(client, email, password=PASSWORD):
    return client.post("/accounts/login/", {"login": email, "password": password})


def test_owner_signs_in_on_own_workspace(client_for, workspaces):
    client = client_for(workspaces.alpha)

    response = sign_in(client, "owner@alpha.test")

    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_user_of_one_workspace_cannot_sign_in_on_another(client_for, workspaces):
    client = client_for(workspaces.beta)

    response = sign_in(client, "owner@alpha.test")

    assert response.status_code == 200  # the form again, with an error
    assert "no son correctas" in response.text
    assert client.get("/").status_code == 302


def test_users_live_in_their_workspace_schema(db, workspaces):
    with in_schema(workspaces.alpha):
        user_create(email="only-alpha@example.com", password=PASSWORD)
        assert User.objects.filter(email="only-alpha@example.com").exists()
    with in_schema(workspaces.beta):
        assert not User.objects.filter(email="only-alpha@example.com").exists()
        assert not User.objects.filter(email="owner@alpha.test").exists()


def test_session_cookie_of_one_workspace_is_worthless_on_another(client_for, workspaces):
    alpha = client_for(workspaces.alpha)
    sign_in(alpha, "owner@alpha.test")
    session_key = alpha.cookies["sessionid"].value

    beta = client_for(workspaces.beta)
    beta.cookies["sessionid"] = session_key
    response = beta.get("/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_session_cookie_is_refused_elsewhere_even_for_a_user_with_the_same_id(client_for, workspaces):
    # Both owners have the same primary key in their own schema; the session still does not travel.
    with in_schema(workspaces.alpha):
        alpha_owner_id = User.objects.get(email="owner@alpha.test").pk
    with in_schema(workspaces.beta):
        assert User.objects.get(email="owner@beta.test").pk == alpha_owner_id
    alpha = client_for(workspaces.alpha)
    sign_in(alpha, "owner@alpha.test")

    beta = client_for(workspaces.beta)
    beta.cookies["sessionid"] = alpha.cookies["sessionid"].value

    assert beta.get("/").status_code == 302


def test_password_reset_link_of_one_workspace_is_worthless_on_another(client_for, workspaces):
    # Same email in both workspaces, so only the workspace tells the two accounts apart.
    with in_schema(workspaces.beta):
        user_create(email="owner@alpha.test", password="beta-password-1234")
    alpha = client_for(workspaces.alpha)
    alpha.post("/accounts/password/reset/", {"email": "owner@alpha.test"})
    assert len(mail.outbox) == 1
    link = re.search(r"http://alpha\.localhost(/accounts/password/reset/key/\S+/)", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    path = link.group(1)

    beta = client_for(workspaces.beta)
    response = beta.get(path, follow=True)

    assert "inválido" in response.text or "invalid" in response.text.lower()
    assert 'name="password1"' not in response.text
    # and on its own workspace the same link opens the form
    assert 'name="password1"' in alpha.get(path, follow=True).text


def test_password_reset_email_wears_the_workspace_brand(client_for, workspaces):
    client_for(workspaces.alpha).post("/accounts/password/reset/", {"email": "owner@alpha.test"})

    message = mail.outbox[0]
    html = message.alternatives[0][0]
    assert "Alpha SRL" in message.body
    assert "data-brand-email-header" in html and "Alpha SRL" in html
    assert "Beta SRL" not in message.body + html


def test_a_password_reset_link_comes_from_the_workspace_domain_not_from_the_host_header(
    client_for, workspaces
):
    client = client_for(workspaces.alpha)

    client.post("/accounts/password/reset/", {"email": "owner@alpha.test"}, HTTP_HOST="alpha.localhost:6666")

    body = mail.outbox[0].body
    assert "http://alpha.localhost/accounts/password/reset/key/" in body
    assert ":6666" not in body
