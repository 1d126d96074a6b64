"""The public "Sign in": a visitor gives an email and gets, by email, a one-time sign-in link to
every workspace where that email is an active member. The page answers the same whether or not
the email belongs anywhere, the search runs in the background (no timing tells either), and
requests are rate-limited per address and per email."""

from datetime import timedelta

from celery import shared_task
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django_tenants.utils import schema_context

from accounts.login_links import login_token_create
from accounts.models import User
from core.emails import email_branding
from tenants.selectors import tenant_list_active
from tenants.services import workspace_url

LINK_TTL = timedelta(minutes=30)
LIMITS = {"ip": (10, 60 * 60), "email": (3, 60 * 60)}  # requests per window (seconds)


def sign_in_allowed(*, ip: str | None, email: str) -> bool:
    """Count this request against the address's and the email's limits; False once over either."""
    allowed = True
    for kind, key in (("ip", ip or "unknown"), ("email", email)):
        limit, window = LIMITS[kind]
        cache_key = f"public:sign-in:{kind}:{key}"
        cache.add(cache_key, 0, window)
        if cache.incr(cache_key) > limit:
            allowed = False
    return allowed


@shared_task
def sign_in_links_send(email: str) -> int:
    """Email ``email`` a one-time link to each open workspace it is an active member of;
    returns how many (0: nothing is sent)."""
    email = email.strip().lower()
    links = []
    for tenant in tenant_list_active():
        with schema_context(tenant.schema_name):
            user = User.objects.filter(email=email, is_active=True).first()
            if user is None:
                continue
            token = login_token_create(user=user, ttl=LINK_TTL)
        links.append({"name": tenant.name, "url": workspace_url(tenant, f"/team/welcome/{token}/")})
    if not links:
        return 0
    language = tenant_list_active().filter(name=links[0]["name"]).values_list("language", flat=True).first()
    context = {"links": links, "minutes": int(LINK_TTL.total_seconds() // 60)}
    with translation.override(language or "es"):
        subject = render_to_string("emails/sign_in_subject.txt", context).strip()
        text = render_to_string("emails/sign_in.txt", context)
    branding = email_branding(None)
    EmailMultiAlternatives(subject, text, branding.from_email, [email]).send()
    return len(links)
