import zoneinfo

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import timezone, translation
from django.utils.translation import check_for_language
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


class WorkspaceLocaleMiddleware(LocaleMiddleware):
    """Pick the language: the visitor's own choice (the switcher's cookie) first, then the
    workspace's language, then the browser's. A Spanish-speaking business stays in Spanish
    on a computer set to English, until someone chooses otherwise."""

    def process_request(self, request):
        tenant = getattr(request, "tenant", None)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen and check_for_language(chosen):
            language = chosen
        elif tenant is not None and not tenant.is_public and check_for_language(tenant.language):
            language = tenant.language
        else:
            language = translation.get_language_from_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
