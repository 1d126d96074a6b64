"""The workspace's home page is the dashboard (inventory.web.dashboard); inventory/urls.py names it
``workspace:home``."""

from inventory.web.dashboard import home

__all__ = ["home"]
