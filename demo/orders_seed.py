"""Orders in the demo shop: a menu of products that can be ordered at /pedir/, and a few orders on
the board (new, accepted, ready, delivered). Idempotent: it adds nothing once an order exists."""

from decimal import Decimal

from accounts.models import User
from inventory.models import StockLevel
from orders.models import MenuItem, Order, OrderSettings
from orders.selectors import ordering_locations
from orders.services import OrderLineInput, order_place, order_status_set

MENU_SIZE = 6
BUYERS = [
    ("Valentina Ruiz", "+573104567890", "pickup", ""),
    ("Mesa 4", "", "table", "4"),
    ("Julián Pérez", "+573157778899", "pickup", ""),
    ("Camila Torres", "+573001112233", "pickup", ""),
]


def orders_demo_seed() -> None:
    location = ordering_locations().first()
    if location is None or Order.objects.exists():
        return
    owner = User.objects.filter(role=User.Role.OWNER).order_by("pk").first()
    OrderSettings.objects.update_or_create(id=1, defaults={"offers_pickup": True, "offers_table": True})
    in_stock = list(
        StockLevel.objects.filter(location=location, on_hand__gte=10, product__is_active=True)
        .select_related("product")
        .order_by("product__name")[:MENU_SIZE]
    )
    for level in in_stock:
        MenuItem.objects.get_or_create(product=level.product)
    products = [level.product for level in in_stock]
    if not products or owner is None:
        return
    moves = [[], ["accepted"], ["accepted", "preparing", "ready"], ["accepted", "ready", "delivered"]]
    for index, (name, phone, how, table) in enumerate(BUYERS):
        order = order_place(
            location=location,
            lines=[OrderLineInput(products[(index + k) % len(products)], Decimal(1 + k)) for k in range(2)],
            fulfilment=how,
            table=table,
            customer_name=name,
            customer_phone=phone,
            source=Order.Source.STAFF,
            user=owner,
        )
        for status in moves[index]:
            order_status_set(order=order, user=owner, to=status, payment_method="cash")
