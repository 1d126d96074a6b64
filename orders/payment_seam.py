"""Where the ordering page asks for an online checkout (plugged in when Django starts).

``checkout_url_for(order, request) -> str | None``: the provider's checkout for the order, or None
when the workspace takes no online payments (the page then offers payment on collection only).
``orders.payables`` sets it with ``checkout_url_provider_set`` (payments sits below orders) and
registers the "order" payable, whose handlers call ``order_mark_paid`` and ``order_payment_reversed``.
"""

from collections.abc import Callable

_provider: Callable | None = None


def checkout_url_provider_set(provider: Callable | None) -> None:
    global _provider
    _provider = provider


def checkout_url_for(order, request) -> str | None:
    if _provider is None:
        return None
    return _provider(order, request)
