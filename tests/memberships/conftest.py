"""Fixtures of the membership tests: the academy's (alpha as a Colombian academy, a class going on
now, students) plus offers and a sale to a student."""

from decimal import Decimal

import pytest

from memberships.services import OfferInput, entitlement_sell, offer_create
from tests.academy.conftest import *  # noqa: F403  (academy, site, class_now, make_student, team)


@pytest.fixture
def make_offer(academy, owner):
    def make(name: str, kind: str = "pack", price: str = "120000", **fields):
        return offer_create(data=OfferInput(kind=kind, name=name, price=Decimal(price), **fields), user=owner)

    return make


@pytest.fixture
def sell(site, staff):
    def do(offer, student, **fields):
        return entitlement_sell(offer=offer, student=student, location=site, seller=staff, **fields)

    return do
