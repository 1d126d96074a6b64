"""The orders panel on the dashboard of a business that takes orders (registered in apps.py)."""

from accounts.permissions import Perm, has_perm
from orders.selectors import order_figures, uses_orders


def orders_panel(*, request, location) -> dict | None:
    """Last 30 days: orders per day, average ticket (money: VIEW_MONEY only), minutes from accepted
    to ready, share paid online, top products. None for a business that takes no orders."""
    if not has_perm(request.user, Perm.WORK_ORDERS) or not uses_orders():
        return None
    return {
        "template": "orders/_dashboard_panel.html",
        "figures": order_figures(location=location),
        "sees_money": has_perm(request.user, Perm.VIEW_MONEY),
    }
