"""Ledger consistency under random sequences of operations (hypothesis).

After any sequence of receipts, sales, returns, voids, adjustments, transfers and counts, every
stock level equals the sum of its movements and the quantity a simple model of the rules expects;
refused operations change nothing. Each example runs in a savepoint that is rolled back, so
examples start from the same state (hypothesis' own example database is off: database=None).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inventory.exceptions import InsufficientStock
from inventory.models import Product, StockLevel, StockMovement
from inventory.services import (
    ReturnLineInput,
    SaleLineInput,
    TransferLineInput,
    inventory_settings_update,
    sale_create,
    sale_return,
    sale_void,
    stock_adjust,
    stock_count_create,
    stock_count_line_set,
    stock_count_post,
    stock_receive,
    transfer_receive,
    transfer_send,
)
from tests.inventory.factories import LocationFactory, ProductFactory

PLACES = 3
PRODUCTS = 2  # one sold by the unit, one by the kilogram

product_index = st.integers(0, PRODUCTS - 1)
place_index = st.integers(0, PLACES - 1)
amount = st.integers(1, 20_000)  # thousandths; whole units for the unit product
pick = st.integers(0, 50)

operations = st.lists(
    st.one_of(
        st.tuples(st.just("receive"), product_index, place_index, amount, st.integers(1, 5000)),
        st.tuples(st.just("sell"), product_index, place_index, amount),
        st.tuples(st.just("return"), pick, st.booleans()),
        st.tuples(st.just("void"), pick),
        st.tuples(st.just("adjust"), product_index, place_index, amount, st.booleans()),
        st.tuples(st.just("transfer"), product_index, place_index, place_index, amount, st.booleans()),
        st.tuples(st.just("receive_transfer"), pick),
        st.tuples(st.just("count"), product_index, place_index, st.integers(0, 20_000)),
    ),
    min_size=1,
    max_size=14,
)


@dataclass
class World:
    products: list[Product]
    places: list
    user: object
    expected: dict = field(default_factory=dict)  # (product index, place index) -> quantity
    sales: list = field(default_factory=list)  # [sale, product index, place index, quantity left, voidable]
    transfers: list = field(
        default_factory=list
    )  # [transfer, product index, destination index, quantity, open]
    refusals: int = 0

    def quantity(self, product_index: int, thousandths: int) -> Decimal:
        if self.products[product_index].allows_fractions:
            return Decimal(thousandths) / 1000
        return Decimal(max(1, thousandths // 1000))

    def on_hand(self, key) -> Decimal:
        return self.expected.get(key, Decimal(0))

    def add(self, key, delta: Decimal) -> None:
        self.expected[key] = self.on_hand(key) + delta


def snapshot():
    return (
        StockMovement.objects.count(),
        sorted(StockLevel.objects.values_list("product_id", "location_id", "on_hand")),
    )


def apply(world: World, operation, negative_allowed: bool) -> None:
    name, *args = operation
    user = world.user
    before = snapshot()
    try:
        _apply(world, name, args, user, negative_allowed)
    except InsufficientStock:
        world.refusals += 1
        assert not negative_allowed
        assert snapshot() == before, "a refused operation changed the ledger"


def _apply(world: World, name: str, args, user, negative_allowed: bool) -> None:
    if name == "receive":
        p, site, thousandths, cost = args
        quantity = world.quantity(p, thousandths)
        stock_receive(
            product=world.products[p],
            location=world.places[site],
            quantity=quantity,
            unit_cost=Decimal(cost),
            user=user,
        )
        world.add((p, site), quantity)
    elif name == "sell":
        p, site, thousandths = args
        quantity = world.quantity(p, thousandths)
        short = world.on_hand((p, site)) < quantity and not negative_allowed
        sale = sale_create(
            location=world.places[site], seller=user, lines=[SaleLineInput(world.products[p], quantity)]
        )
        assert not short, "a sale that should have been refused went through"
        world.add((p, site), -quantity)
        world.sales.append([sale, p, site, quantity, True])
    elif name == "return" and world.sales:
        index, everything = args
        entry = world.sales[index % len(world.sales)]
        sale, p, site, left, _voidable = entry
        if left == 0:
            return
        quantity = (
            left
            if everything or not world.products[p].allows_fractions
            else (left / 2).quantize(Decimal("0.001"))
        )
        if quantity == 0:
            return
        sale_return(
            sale=sale, user=user, reason="prueba", lines=[ReturnLineInput(sale.lines.get(), quantity)]
        )
        world.add((p, site), quantity)
        entry[3] = left - quantity
        entry[4] = False
    elif name == "void" and world.sales:
        entry = world.sales[args[0] % len(world.sales)]
        sale, p, site, left, voidable = entry
        if not voidable:
            return
        sale_void(sale=sale, user=user, reason="prueba")
        world.add((p, site), left)
        entry[3] = Decimal(0)
        entry[4] = False
    elif name == "adjust":
        p, site, thousandths, down = args
        quantity = world.quantity(p, thousandths) * (-1 if down else 1)
        short = world.on_hand((p, site)) + quantity < 0 and not negative_allowed
        stock_adjust(
            product=world.products[p], location=world.places[site], quantity=quantity, reason="x", user=user
        )
        assert not short
        world.add((p, site), quantity)
    elif name == "transfer":
        p, origin, destination, thousandths, receive_now = args
        if origin == destination:
            return
        quantity = world.quantity(p, thousandths)
        short = world.on_hand((p, origin)) < quantity and not negative_allowed
        transfer = transfer_send(
            origin=world.places[origin],
            destination=world.places[destination],
            lines=[TransferLineInput(world.products[p], quantity)],
            user=user,
        )
        assert not short
        world.add((p, origin), -quantity)
        entry = [transfer, p, destination, quantity, True]
        world.transfers.append(entry)
        if receive_now:
            _receive(world, entry, user)
    elif name == "receive_transfer" and world.transfers:
        entry = world.transfers[args[0] % len(world.transfers)]
        if entry[4]:
            _receive(world, entry, user)
    elif name == "count":
        p, site, thousandths = args
        counted = world.quantity(p, thousandths) if thousandths else Decimal(0)
        count = stock_count_create(location=world.places[site], user=user, products=[world.products[p]])
        stock_count_line_set(
            stock_count=count, product=world.products[p], counted_quantity=counted, user=user
        )
        stock_count_post(stock_count=count, user=user)
        world.expected[(p, site)] = counted


def _receive(world: World, entry, user) -> None:
    transfer, p, destination, quantity, _open = entry
    transfer_receive(transfer=transfer, user=user)
    world.add((p, destination), quantity)
    entry[4] = False


def check_ledger(world: World, negative_allowed: bool) -> None:
    levels = StockLevel.objects.filter(product__in=world.products)
    sums = {
        (row["product_id"], row["location_id"]): row["total"]
        for row in StockMovement.objects.filter(product__in=world.products)
        .values("product_id", "location_id")
        .annotate(total=Sum("quantity"))
    }
    seen = set()
    for level in levels:
        key = (level.product_id, level.location_id)
        seen.add(key)
        assert level.on_hand == sums.get(key, 0), (
            f"on hand {level.on_hand} != movements {sums.get(key)} for {key}"
        )
        if not negative_allowed:
            assert level.on_hand >= 0
    assert set(sums) <= seen, "movements without a stock level"
    for p, product in enumerate(world.products):
        for site, place in enumerate(world.places):
            level = next(
                (lv for lv in levels if lv.product_id == product.pk and lv.location_id == place.pk), None
            )
            assert (level.on_hand if level else 0) == world.on_hand((p, site))


def run(alpha, owner, ops, negative_allowed: bool) -> None:
    with transaction.atomic():
        if negative_allowed:
            inventory_settings_update(user=owner, allow_negative_stock=True)
        world = World(
            products=[ProductFactory(unit="unit"), ProductFactory(unit="kg")],
            places=[LocationFactory() for _ in range(PLACES)],
            user=owner,
        )
        # Opening stock everywhere, so sales and transfers mostly go through and sometimes run short.
        for operation in [
            ("receive", p, site, 25_000, 1000) for p in range(PRODUCTS) for site in range(PLACES)
        ]:
            apply(world, operation, negative_allowed)
        for operation in ops:
            apply(world, operation, negative_allowed)
        check_ledger(world, negative_allowed)
        transaction.set_rollback(True)


LEDGER_SETTINGS = settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@LEDGER_SETTINGS
@given(ops=operations)
def test_on_hand_equals_the_sum_of_movements(alpha, owner, ops):
    run(alpha, owner, ops, negative_allowed=False)


@LEDGER_SETTINGS
@given(ops=operations)
def test_on_hand_equals_the_sum_of_movements_with_negative_stock(alpha, owner, ops):
    run(alpha, owner, ops, negative_allowed=True)
