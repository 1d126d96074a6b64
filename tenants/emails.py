"""Emails about a workspace as a whole (signup confirmation, welcome), sent by Celery after the
transaction commits."""

from celery import shared_task
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from core.emails import email_branding
from tenants.confirmation import UNCONFIRMED_PURGE_AFTER, confirmation_token
from tenants.models import Tenant
from tenants.services import workspace_url


@shared_task
def send_welcome_email(tenant_id: int) -> str:
    """Send the owner the welcome email (HTML and text, in the workspace's brand) in its language."""
    tenant = Tenant.objects.get(pk=tenant_id)
    branding = email_branding(tenant)
    context = {
        "branding": branding,
        "tenant": tenant,
        "workspace_url": workspace_url(tenant),
        "login_url": workspace_url(tenant, "/accounts/login/"),
        "trial_ends_at": tenant.trial_ends_at,
    }
    with translation.override(tenant.language):
        subject = render_to_string("emails/welcome_subject.txt", context).strip()
        text = render_to_string("emails/welcome.txt", context)
        html = render_to_string("emails/welcome.html", context)
    message = EmailMultiAlternatives(subject, text, branding.from_email, [tenant.email])
    message.attach_alternative(html, "text/html")
    message.send()
    return tenant.email


@shared_task
def send_signup_confirmation(tenant_id: int) -> str | None:
    """Send the signup address the link that confirms it and opens the workspace (only mail an
    unconfirmed workspace ever sends). Nothing when the workspace is gone or already confirmed."""
    tenant = Tenant.objects.filter(pk=tenant_id, status=Tenant.Status.UNCONFIRMED).first()
    if tenant is None:
        return None
    context = {
        "tenant": tenant,
        "confirm_url": workspace_url(tenant, f"/confirm/{confirmation_token(tenant)}/"),
        "hours": int(UNCONFIRMED_PURGE_AFTER.total_seconds() // 3600),
    }
    with translation.override(tenant.language):
        subject = render_to_string("emails/confirm_signup_subject.txt", context).strip()
        text = render_to_string("emails/confirm_signup.txt", context)
    EmailMultiAlternatives(subject, text, None, [tenant.email]).send()
    return tenant.email
