"""django-axes locks an account after repeated failed sign-ins, per workspace."""

from django.conf import settings

from accounts.services import user_create
from tests.conftest import PASSWORD, in_schema


def test_account_is_locked_after_the_failure_limit(client_for, workspaces):
    client = client_for(workspaces.alpha)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"login": "owner@alpha.test", "password": "wrong-password"})

    response = client.post("/accounts/login/", {"login": "owner@alpha.test", "password": PASSWORD})

    assert response.status_code == 429
    assert "Cuenta bloqueada" in response.text
    assert f"{settings.AXES_FAILURE_LIMIT} intentos fallidos" in response.text
    assert client.get("/").status_code == 302  # not signed in


def test_failures_below_the_limit_do_not_lock(client_for, workspaces):
    client = client_for(workspaces.alpha)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post("/accounts/login/", {"login": "owner@alpha.test", "password": "wrong-password"})

    response = client.post("/accounts/login/", {"login": "owner@alpha.test", "password": PASSWORD})

    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_lockout_in_one_workspace_does_not_lock_the_same_email_elsewhere(client_for, workspaces):
    with in_schema(workspaces.beta):
        user_create(email="owner@alpha.test", password=PASSWORD)
    alpha = client_for(workspaces.alpha)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        alpha.post("/accounts/login/", {"login": "owner@alpha.test", "password": "wrong-password"})
    assert (
        alpha.post("/accounts/login/", {"login": "owner@alpha.test", "password": PASSWORD}).status_code == 429
    )

    beta = client_for(workspaces.beta)
    response = beta.post("/accounts/login/", {"login": "owner@alpha.test", "password": PASSWORD})

    assert response.status_code == 302
    assert beta.get("/").status_code == 200
