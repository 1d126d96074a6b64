"""Redis down: sign-in, pages and the API keep answering (the cache misses; sessions and lockouts
live in the database), and readiness says Redis is the problem."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client, override_settings

from accounts.models import User
from api.services import api_token_create
from plans.models import Plan
from tenants.models import Tenant
from tests.conftest import PASSWORD, host_of, in_schema

NO_REDIS = {
    "default": {
        **settings.CACHES["default"],
        "LOCATION": "redis://127.0.0.1:1/2",  # nothing listens there
    }
}


@pytest.fixture
def redis_down():
    with override_settings(CACHES=NO_REDIS):
        cache.close()
        yield
    cache.close()


def test_the_owner_signs_in_and_works_while_redis_is_down(db, workspaces, redis_down):
    client = Client(HTTP_HOST=host_of(workspaces.alpha))

    signed_in = client.post("/accounts/login/", {"login": "owner@alpha.test", "password": PASSWORD})
    home = client.get("/")
    products = client.get("/products/")

    assert signed_in.status_code == 302
    assert home.status_code == 200 and products.status_code == 200


def test_readyz_names_redis_when_it_is_down(db, workspaces, redis_down):
    response = Client(HTTP_HOST="localhost", raise_request_exception=False).get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["redis"]["status"] != "ok"
    assert response.json()["checks"]["database"]["status"] == "ok"


def test_an_api_client_reads_while_redis_is_down(db, workspaces, redis_down):
    Tenant.objects.filter(pk=workspaces.alpha.pk).update(plan=Plan.objects.get(code="enterprise"))
    with in_schema(workspaces.alpha):
        raw = api_token_create(user=User.objects.get(email="owner@alpha.test"), name="caja")[1]

    response = Client(HTTP_HOST=host_of(workspaces.alpha)).get(
        "/api/v1/products/", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )

    assert response.status_code == 200
