"""Fixtures of the inventory tests: the alpha workspace's schema, its team by role, two places."""

from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from accounts.services import user_create
from inventory.models import Location, StockLevel, StockMovement
from inventory.services import stock_receive
from tests.conftest import PASSWORD, in_schema
from tests.inventory.factories import LocationFactory, ProductFactory


@pytest.fixture
def alpha(db, workspaces):
    """Work inside the alpha workspace's schema for the whole test (rolled back after it)."""
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
def store(alpha) -> Location:
    return LocationFactory(name="Local Centro", kind=Location.Kind.STORE)


@pytest.fixture
def warehouse(alpha) -> Location:
    return LocationFactory(name="Depósito", kind=Location.Kind.WAREHOUSE)


@pytest.fixture
def product(alpha):
    return ProductFactory(
        sku="YER-500", name="Yerba mate 500 g", sale_price=Decimal("3200.00"), cost=Decimal("2000")
    )


@pytest.fixture
def stocked(product, store, owner):
    """``product`` with 10 units at ``store``, received at 2000 each."""
    stock_receive(product=product, location=store, quantity=10, unit_cost=Decimal("2000"), user=owner)
    return product


def on_hand(product, location) -> Decimal:
    level = StockLevel.objects.filter(product=product, location=location).first()
    return level.on_hand if level else Decimal("0")


def ledger_total(product, location) -> Decimal:
    return sum(
        StockMovement.objects.filter(product=product, location=location).values_list("quantity", flat=True),
        Decimal("0"),
    )


class QueryLog:
    """The SQL statements run inside ``with query_log() as log:``; django-tenants' ``SET search_path``
    before each cursor is left out (it is routing, not a query of ours)."""

    def __init__(self, context: CaptureQueriesContext):
        self._context = context

    @property
    def statements(self) -> list[str]:
        return [
            q["sql"] for q in self._context.captured_queries if not q["sql"].startswith("SET search_path")
        ]

    def __len__(self):
        return len(self.statements)


@pytest.fixture
def query_log():
    @contextmanager
    def capture():
        with CaptureQueriesContext(connection) as context:
            yield QueryLog(context)

    return capture
