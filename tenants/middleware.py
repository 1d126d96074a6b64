import zoneinfo

from django.utils import timezone
from django_tenants.middleware.main import TenantMainMiddleware


class WorkspaceMiddleware(TenantMainMiddleware):
    """Route the request to its workspace's schema (django-tenants), then show times in the
    workspace's own time zone."""

    def process_request(self, request):
        response = super().process_request(request)
        if response is not None:
            return response
        try:
            timezone.activate(zoneinfo.ZoneInfo(request.tenant.time_zone))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.deactivate()
        return None
