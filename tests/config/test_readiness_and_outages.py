"""Readiness (`/readyz`) and what a user and an API client see when the database is unreachable."""

import pytest
from django.db import connection
from django.test import Client

from tests.conftest import host_of


def test_readyz_reports_every_dependency_ready_with_a_worker_running(db, workspaces, celery_worker_process):
    response = Client(HTTP_HOST="localhost").get("/readyz")

    assert response.status_code == 200
    body = response.json()
    assert body["ready"] is True
    assert set(body["checks"]) == {"database", "migrations", "redis", "worker"}
    assert all(check["status"] == "ok" for check in body["checks"].values())


@pytest.fixture
def database_unreachable(workspaces, django_db_blocker):
    """The next connections go to a port where no PostgreSQL listens (as during a restart).

    Outside any test transaction (nothing is written: every connection attempt fails)."""
    with django_db_blocker.unblock():
        port = connection.settings_dict["PORT"]
        connection.close()
        connection.settings_dict["PORT"] = "1"
        try:
            yield
        finally:
            connection.close()
            connection.settings_dict["PORT"] = port


def test_an_api_client_gets_json_503_with_retry_after_when_the_database_is_down(
    database_unreachable, workspaces
):
    client = Client(HTTP_HOST=host_of(workspaces.alpha), raise_request_exception=False)

    response = client.get("/api/v1/products/")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json()["code"] == "service_unavailable"


def test_a_person_gets_a_page_saying_nothing_was_lost_when_the_database_is_down(
    database_unreachable, workspaces
):
    client = Client(HTTP_HOST=host_of(workspaces.alpha), raise_request_exception=False)

    response = client.get("/products/")

    assert response.status_code == 503
    assert "Nada de lo que guardaste se perdió" in response.content.decode()


def test_readyz_says_which_dependency_is_missing(database_unreachable):
    response = Client(HTTP_HOST="localhost", raise_request_exception=False).get("/readyz")

    assert response.status_code == 503
    assert response["Retry-After"]
