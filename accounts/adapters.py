from urllib.parse import quote

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.urls import reverse

from core.emails import email_branding
from core.http import client_ip


class WorkspaceAccountAdapter(DefaultAccountAdapter):
    """Accounts on a workspace are created by signup (the owner) or by invitation, never by
    an open sign-up form on the subdomain. Its emails (password reset) wear the workspace's brand."""

    def is_open_for_signup(self, request):
        return False

    def get_client_ip(self, request):
        # allauth's rate limits (sign-in, password reset) key on the person's device, behind our
        # proxy too (settings.TRUSTED_PROXIES), never on the proxy shared by every user.
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine client IP address")
        return ip

    def get_reset_password_from_key_url(self, key):
        # From the workspace's configured domain, scheme and port, never from the request's Host
        # header (which a client chooses).
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        path = path.replace("UID-KEY", quote(key))
        domain = connection.tenant.get_primary_domain().domain
        port = f":{settings.SITE_PORT}" if settings.SITE_PORT else ""
        return f"{settings.SITE_SCHEME}://{domain}{port}{path}"

    def get_from_email(self):
        return email_branding().from_email

    def send_mail(self, template_prefix, email, context):
        context = {**context, "branding": email_branding()}
        return super().send_mail(template_prefix, email, context)
