"""The demo shop's orders (demo/orders_seed.py): a menu and four orders along the board, once."""

from decimal import Decimal

from demo.orders_seed import orders_demo_seed
from inventory.models import Sale, StockLevel
from orders.models import MenuItem, Order
from tests.inventory.factories import ProductFactory


def test_the_demo_puts_a_menu_and_orders_on_the_board_once(alpha, owner, cafe):
    for index in range(3):
        product = ProductFactory(name=f"Pan {index}")
        StockLevel.objects.create(product=product, location=cafe, on_hand=Decimal(20))

    orders_demo_seed()
    orders_demo_seed()

    assert MenuItem.objects.count() == 3
    assert sorted(Order.objects.values_list("status", flat=True)) == ["accepted", "delivered", "new", "ready"]
    assert Sale.objects.count() == 1 and Order.objects.get(status="delivered").sale is not None
    assert sum(level.reserved for level in StockLevel.objects.all()) > 0
