"""Routes of the dashboard screens (included into the `workspace` namespace by inventory/urls.py).

The dashboard itself is ``workspace:home`` ("/", inventory.views.home, ?location=<id>)."""

urlpatterns = []
