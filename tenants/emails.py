"""Emails about a workspace as a whole (welcome), sent by Celery after the transaction commits."""

from celery import shared_task
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from core.emails import email_branding
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
