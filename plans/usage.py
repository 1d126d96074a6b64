"""How much of each limited thing a workspace has, counted by the apps that own those things.

``plans`` and ``billing`` live in the public schema and may not import the tenant apps that own
products, locations, users and sales. Each owner registers a counter when Django starts (in its
``AppConfig.ready``); ``workspace_usage`` asks every counter in the schema active on the connection.
"""

from collections.abc import Callable

from plans.limits import RESOURCES

_counters: dict[str, Callable[[], int]] = {}


def usage_counter_register(resource: str, counter: Callable[[], int]) -> None:
    """Register how to count ``resource`` (a key of plans.limits.RESOURCES) in the active schema."""
    if resource not in RESOURCES:
        raise ValueError(f"unknown plan resource: {resource}")
    _counters[resource] = counter


def workspace_usage() -> dict[str, int]:
    """What the workspace on the connection has of each limited thing, by resource."""
    return {resource: counter() for resource, counter in _counters.items()}
