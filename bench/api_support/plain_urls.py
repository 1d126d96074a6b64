"""URLs and the one middleware of the plain (single-schema) server of bench/api.py."""

import os

from django.db import connection
from django.urls import include, path

from tenants.models import Tenant


class FixedWorkspaceMiddleware:
    """request.tenant is the benchmark's workspace, loaded once (the API reads its plan)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.tenant = Tenant.objects.select_related("plan").get(pk=int(os.environ["BENCH_TENANT_ID"]))

    def __call__(self, request):
        request.tenant = self.tenant
        # The project's helpers read the workspace from the connection (django-tenants' attributes);
        # here they are constants: the search_path is fixed by the connection's options.
        connection.schema_name = self.tenant.schema_name
        connection.tenant = self.tenant
        return self.get_response(request)


urlpatterns = [path("api/", include("api.urls"))]
