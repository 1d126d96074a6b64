"""Another tenant's token or session is 401 everywhere; every endpoint follows the role table."""

import pytest

from accounts.models import User
from accounts.permissions import has_perm
from api.permissions import ANY_MEMBER
from api.services import api_token_create
from tests.api.conftest import enterprise
from tests.api.endpoints import ENDPOINTS
from tests.conftest import host_of, in_schema

IDS = [f"{e.method} {e.path}" for e in ENDPOINTS]


def _call(client, endpoint, **extra):
    return getattr(client, endpoint.method.lower())(endpoint.path, {}, format="json", **extra)


@pytest.fixture
def beta_credentials(db, workspaces):
    """A token and a signed-in session of beta's owner (beta on a plan with API access)."""
    from rest_framework.test import APIClient

    enterprise(workspaces.beta)
    with in_schema(workspaces.beta):
        owner = User.objects.get(email="owner@beta.test")
        _token, raw = api_token_create(user=owner, name="beta")
        session_client = APIClient(HTTP_HOST=host_of(workspaces.beta))
        session_client.force_login(owner)
    return raw, session_client.cookies


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_a_token_of_another_workspace_is_401(endpoint, api_for, beta_credentials, alpha):
    raw, _cookies = beta_credentials
    response = _call(api_for(raw), endpoint)
    assert response.status_code == 401, response.content
    assert response.json()["code"] == "invalid_token"


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_a_session_of_another_workspace_is_401(endpoint, api_for, beta_credentials, alpha):
    _raw, cookies = beta_credentials
    client = api_for()
    client.cookies = cookies
    response = _call(client, endpoint)
    assert response.status_code == 401, response.content
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize("role", list(User.Role.values))
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=IDS)
def test_every_endpoint_follows_the_role_table(endpoint, role, api_for, team, tokens):
    if role in tokens:
        client = api_for(tokens[role])
    else:  # a role without API tokens (teacher) reaches the API through its signed-in session
        client = api_for()
        client.force_login(team[role])
    response = _call(client, endpoint)
    allowed = endpoint.perm is ANY_MEMBER or has_perm(team[role], endpoint.perm)
    if allowed:
        assert response.status_code != 403, (role, response.content)
    else:
        assert response.status_code == 403, (role, response.content)
        assert response.json()["code"] == "permission_denied"
