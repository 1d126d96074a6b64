"""Fixtures of the customer tests (the academy tests use them too): alpha's team by role and a
signed-in web client."""

import pytest
from django.conf import settings

from accounts.models import User
from accounts.services import user_create
from tests.conftest import PASSWORD, in_schema

SIGN_IN_BACKEND = "django.contrib.auth.backends.ModelBackend"
LOGIN_PATH = "/accounts/login/"


@pytest.fixture
def alpha(db, workspaces):
    with in_schema(workspaces.alpha):
        yield workspaces.alpha


@pytest.fixture
def owner(alpha) -> User:
    return User.objects.get(email="owner@alpha.test")


@pytest.fixture
def admin(alpha) -> User:
    return user_create(email="admin@alpha.test", password=PASSWORD, role=User.Role.ADMIN)


@pytest.fixture
def staff(alpha) -> User:
    return user_create(email="staff@alpha.test", password=PASSWORD, role=User.Role.STAFF)


@pytest.fixture
def teacher_user(alpha) -> User:
    return user_create(
        email="profe@alpha.test", password=PASSWORD, role=User.Role.TEACHER, full_name="Profe Camila"
    )


@pytest.fixture
def beta_owner(workspaces) -> User:
    with in_schema(workspaces.beta):
        return User.objects.get(email="owner@beta.test")


def web_client(client_for, tenant, user, *, language="es"):
    """A client on ``tenant``'s host signed in as ``user`` (the session lives in that schema)."""
    client = client_for(tenant)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with in_schema(tenant):
        client.force_login(user, backend=SIGN_IN_BACKEND)
    return client


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(LOGIN_PATH)
