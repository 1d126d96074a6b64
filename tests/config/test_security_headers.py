"""Headers a browser reads: signed-in pages and downloads are never cached; pages may use the camera
(front-desk check-in) and no other sensitive browser feature."""

import pytest

from accounts.models import User
from tests.conftest import in_schema


@pytest.fixture
def owner_client(db, workspaces, client_for):
    client = client_for(workspaces.alpha)
    with in_schema(workspaces.alpha):
        client.force_login(
            User.objects.get(email="owner@alpha.test"), backend="django.contrib.auth.backends.ModelBackend"
        )
    return client


@pytest.mark.parametrize("path", ["/", "/products/", "/sales/?export=csv", "/team/"])
def test_signed_in_pages_and_exports_are_never_stored(owner_client, path):
    response = owner_client.get(path)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_the_public_site_is_not_marked_private(client_for, workspaces, db):
    response = client_for(None).get("/")

    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_pages_may_use_the_camera_and_nothing_else_sensitive(client_for, workspaces, db):
    policy = client_for(None).get("/")["Permissions-Policy"]

    assert "camera=(self)" in policy
    assert "microphone=()" in policy and "geolocation=()" in policy and "payment=()" in policy
