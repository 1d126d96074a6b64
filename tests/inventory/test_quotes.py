"""Quotes: prepared by any role with CREATE_QUOTES, converted into sales by CONVERT_QUOTES."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from inventory.dates import workspace_today
from inventory.exceptions import InsufficientStock, InvalidInput, InvalidStatus, QuoteExpired
from inventory.models import Quote, Sale
from inventory.services import SaleLineInput, quote_cancel, quote_convert, quote_create, stock_adjust
from tests.inventory.conftest import on_hand


@pytest.fixture
def quote(stocked, store, staff):
    return quote_create(
        location=store,
        user=staff,
        lines=[SaleLineInput(stocked, 4, unit_price=Decimal("3000"), discount=Decimal("500"))],
        customer_name="Club Atlético",
    )


def test_staff_prepares_a_quote_valid_for_fifteen_days(quote, stocked, store):
    assert quote.status == Quote.Status.OPEN
    assert quote.valid_until == workspace_today() + timedelta(days=15)
    assert quote.total == Decimal("11500.00")
    assert on_hand(stocked, store) == 10  # a quote holds no stock


def test_converting_makes_a_sale_at_the_quoted_prices(quote, admin, stocked, store):
    sale = quote_convert(quote=quote, user=admin, payment_method="card")

    quote.refresh_from_db()
    assert quote.status == Quote.Status.CONVERTED
    assert quote.sale == sale
    assert sale.total == Decimal("11500.00")
    assert sale.customer_name == "Club Atlético"
    assert sale.lines.get().unit_price == Decimal("3000")
    assert on_hand(stocked, store) == 6
    with pytest.raises(InvalidStatus):
        quote_convert(quote=quote, user=admin)


def test_staff_cannot_convert(quote, staff):
    with pytest.raises(PermissionDenied):
        quote_convert(quote=quote, user=staff)

    assert not Sale.objects.exists()


def test_expired_quote_is_refused(quote, admin, stocked, store):
    Quote.objects.filter(pk=quote.pk).update(valid_until=workspace_today() - timedelta(days=1))

    with pytest.raises(QuoteExpired):
        quote_convert(quote=quote, user=admin)

    assert not Sale.objects.exists()
    assert on_hand(stocked, store) == 10


def test_quote_valid_until_today_still_converts(quote, admin):
    Quote.objects.filter(pk=quote.pk).update(valid_until=workspace_today())

    assert quote_convert(quote=quote, user=admin).total == Decimal("11500.00")


def test_conversion_checks_stock_then_and_leaves_the_quote_open(quote, admin, owner, stocked, store):
    stock_adjust(product=stocked, location=store, quantity=-8, reason="Rotura", user=owner)

    with pytest.raises(InsufficientStock):
        quote_convert(quote=quote, user=admin)

    quote.refresh_from_db()
    assert quote.status == Quote.Status.OPEN
    assert not Sale.objects.exists()
    assert on_hand(stocked, store) == 2


def test_a_quote_cannot_expire_in_the_past(stocked, store, staff):
    with pytest.raises(InvalidInput):
        quote_create(
            location=store,
            user=staff,
            lines=[SaleLineInput(stocked, 1)],
            valid_until=workspace_today() - timedelta(days=1),
        )


def test_cancelled_quote_cannot_be_converted(quote, staff, admin):
    quote_cancel(quote=quote, user=staff)

    with pytest.raises(InvalidStatus):
        quote_convert(quote=quote, user=admin)
