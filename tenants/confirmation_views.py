"""The confirmation link of a signup and its "send it again" (workspace subdomain, /confirm/).

The only paths an unconfirmed workspace answers (tenants.status_middleware shows every other
one as "check your email").
"""

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_ratelimit.core import is_ratelimited

from core.http import client_ip
from tenants.confirmation import UNCONFIRMED_PURGE_AFTER, tenant_confirm
from tenants.models import Tenant
from tenants.signup import confirmation_send

UNCONFIRMED_HOURS = int(UNCONFIRMED_PURGE_AFTER.total_seconds() // 3600)

# How often the confirmation email may be asked for again, per workspace and per client.
RESEND_RATE = "3/h"


@require_GET
def confirm(request, token: str):
    """Follow the emailed link: the workspace opens and its owner lands signed in."""
    login_path = tenant_confirm(tenant=request.tenant, token=token)
    if login_path is None:
        return render(request, "lifecycle/confirm_invalid.html", {"workspace": request.tenant}, status=400)
    return redirect(login_path)


@require_POST
def resend(request):
    """Send the confirmation email again (a few times an hour at most)."""
    tenant = request.tenant
    if tenant.status != Tenant.Status.UNCONFIRMED:
        return redirect("/")
    limited = any(
        is_ratelimited(request, group=group, key=key, rate=RESEND_RATE, increment=True)
        for group, key in (
            ("confirm:resend:workspace", lambda group, request: str(request.tenant.pk)),
            ("confirm:resend:client", lambda group, request: client_ip(request) or "unknown"),
        )
    )
    status = 200
    if limited:
        notice, status = _("The email was sent several times already. Try again in an hour."), 429
    else:
        if confirmation_send(tenant.pk):
            notice = _("We sent the email again to %(email)s.") % {"email": tenant.email}
        else:
            notice, status = _("The email could not be sent right now. Try again in a few minutes."), 503
    # Rendered here: the status middleware answers "/" before the messages middleware runs.
    context = {"workspace": tenant, "hours": UNCONFIRMED_HOURS, "notice": notice}
    return render(request, "lifecycle/unconfirmed.html", context, status=status)
