"""Fixtures of the API tests: alpha on a plan with API access (inside the test transaction), its
team by role with a token each, and clients that call alpha's subdomain."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from accounts.permissions import Perm, has_perm
from accounts.services import user_create
from api.services import api_token_create
from inventory.services import stock_receive
from plans.models import Plan
from tests.conftest import PASSWORD, host_of, in_schema
from tests.inventory.factories import LocationFactory, ProductFactory


def enterprise(tenant, **plan_fields):
    """Put ``tenant`` on the enterprise plan (rolled back with the test)."""
    plan = Plan.objects.get(code="enterprise")
    for field, value in plan_fields.items():
        setattr(plan, field, value)
    if plan_fields:
        plan.save()
    # A queryset update: the tenant may be saved from another schema's context.
    # The session's Tenant objects are shared by every test: they are left as they are; requests
    # load their tenant from the database.
    type(tenant).objects.filter(pk=tenant.pk).update(plan=plan)
    return plan


@pytest.fixture
def alpha(db, workspaces):
    enterprise(workspaces.alpha)
    with in_schema(workspaces.alpha):
        yield workspaces.alpha


@pytest.fixture
def team(alpha) -> dict[str, User]:
    return {
        "owner": User.objects.get(email="owner@alpha.test"),
        "admin": user_create(email="admin@alpha.test", password=PASSWORD, role=User.Role.ADMIN),
        "staff": user_create(email="staff@alpha.test", password=PASSWORD, role=User.Role.STAFF),
        "teacher": user_create(email="teacher@alpha.test", password=PASSWORD, role=User.Role.TEACHER),
    }


@pytest.fixture
def tokens(team) -> dict[str, str]:
    """A token per role that may hold one (teachers may not: USE_API)."""
    return {
        role: api_token_create(user=user, name=f"{role} POS")[1]
        for role, user in team.items()
        if has_perm(user, Perm.USE_API)
    }


@pytest.fixture
def api_for(alpha):
    """api_for(raw_token, tenant=alpha) -> an APIClient sending that token to the tenant's host."""

    def make(raw: str | None = None, tenant=None) -> APIClient:
        client = APIClient(HTTP_HOST=host_of(tenant or alpha))
        if raw:
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        return client

    return make


@pytest.fixture
def store(alpha):
    return LocationFactory(name="Local Centro")


@pytest.fixture
def product(alpha):
    return ProductFactory(sku="YER-500", name="Yerba mate 500 g", sale_price=Decimal("3200.00"))


@pytest.fixture
def stocked(product, store, team):
    stock_receive(product=product, location=store, quantity=10, unit_cost=Decimal("2000"), user=team["owner"])
    return product
