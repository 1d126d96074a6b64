"""The workspace's own screens, all in the `workspace` namespace: URL names are prefixed by area
(`sale_*`, `product_*`, `import_*`, ...) so the included modules never clash."""

from django.urls import include, path

from inventory import views

app_name = "workspace"

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("inventory.web.dashboard_urls")),
    path("", include("inventory.web.sales_urls")),
    path("", include("inventory.web.catalogue_urls")),
    path("", include("inventory.web.imports_urls")),
]
