import logging

from django import forms
from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import select_template
from django.urls import set_urlconf
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from core.http import BROKER_ERRORS, client_ip
from core.money import country_of_currency
from plans.models import Plan
from tenants.countries import COUNTRY_DEFAULTS, country_from_accept_language
from tenants.exceptions import SubdomainTaken
from tenants.forms import SignupForm, taken_message
from tenants.legal import CURRENT_VERSIONS
from tenants.services import workspace_url
from tenants.sign_in import sign_in_allowed, sign_in_links_send
from tenants.signup import tenant_signup, time_zone_choices
from tenants.signup_limits import signup_throttled

PLAN_CURRENCIES = ("USD", "ARS", "COP", "MXN")
logger = logging.getLogger(__name__)


def landing(request):
    """The public site's home page: what the product does and the plans."""
    currency = request.GET.get("currency", "USD").upper()
    if currency not in PLAN_CURRENCIES:
        currency = "USD"
    plans = Plan.objects.filter(is_public=True).prefetch_related("prices").order_by("rank")
    rows = [(plan, next((p for p in plan.prices.all() if p.currency == currency), None)) for plan in plans]
    return render(
        request,
        "public/landing.html",
        {
            "plan_rows": rows,
            "currency": currency,
            "currencies": PLAN_CURRENCIES,
            "country": country_of_currency(currency),
        },
    )


@require_http_methods(["GET", "POST"])
def signup(request):
    """Create a business workspace (unconfirmed: a confirmation email is sent) and send the
    visitor to its address, which says to check the email until the link is followed."""
    form = SignupForm(
        request.POST or None,
        language=translation.get_language() or "es",
        country=country_from_accept_language(request.META.get("HTTP_ACCEPT_LANGUAGE", "")),
    )
    status = 200
    if (
        request.method == "POST"
        and form.is_valid()
        and signup_throttled(request, email=form.cleaned_data["owner_email"])
    ):
        form.add_error(
            None,
            _(
                "Too many workspaces were created from this address or email domain recently. "
                "Try again in an hour."
            ),
        )
        status = 429
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            tenant = tenant_signup(
                business_name=data["business_name"],
                subdomain=data["subdomain"],
                kind=data["kind"],
                country=data["country"],
                currency=data["currency"],
                time_zone=data["time_zone"],
                language=data["language"],
                tax_id_label=data["tax_id_label"],
                default_tax_rate=data["default_tax_rate"],
                owner_name=data["owner_name"],
                owner_email=data["owner_email"],
                owner_password=data["password"],
                ip_address=client_ip(request),
            )
        except SubdomainTaken:
            form.add_error("subdomain", taken_message(data["subdomain"], data["kind"]))
        else:
            # The workspace's own address answers "check your email" until the link is followed.
            return redirect(workspace_url(tenant, "/", request=request))
    defaults = {
        code: {
            "currency": d.currency,
            "time_zones": time_zone_choices(code),
            "tax_id_label": d.tax_id_label,
            "tax_rate": str(d.tax_rate),
        }
        for code, d in COUNTRY_DEFAULTS.items()
    }
    return render(
        request,
        "public/signup.html",
        {"form": form, "base_domain": settings.BASE_DOMAIN, "country_defaults": defaults},
        status=status,
    )


def legal(request, document: str):
    """The current version of the Terms or the Privacy policy, in the visitor's language."""
    version = CURRENT_VERSIONS.get(document)
    if version is None:
        raise Http404
    language = translation.get_language() or "es"
    template = select_template(
        [f"legal/{document}_{version}.{language}.html", f"legal/{document}_{version}.es.html"]
    )
    return render(request, template.template.name, {"version": version, "document": document})


def healthz(request):
    """Liveness for the proxy and the orchestrator: no database, no session."""
    return HttpResponse("ok", content_type="text/plain")


def no_such_workspace(request):
    """Any host that is not the bare domain nor a workspace's subdomain."""
    host = request.get_host().split(":")[0]
    subdomain = host.removesuffix("." + settings.BASE_DOMAIN)
    # No tenant matched, so no URLconf was chosen: the page links to the public site absolutely.
    set_urlconf(settings.PUBLIC_SCHEMA_URLCONF)
    request.urlconf = settings.PUBLIC_SCHEMA_URLCONF
    port = f":{settings.SITE_PORT}" if settings.SITE_PORT else ""
    context = {
        "subdomain": subdomain,
        "public_url": f"{settings.SITE_SCHEME}://{settings.BASE_DOMAIN}{port}/",
    }
    return render(request, "public/no_such_workspace.html", context, status=404)


class SignInForm(forms.Form):
    email = forms.EmailField(label=_("Your email"))


@require_http_methods(["GET", "POST"])
def sign_in(request):
    """Ask for an email and send a sign-in link to each of its workspaces (tenants.sign_in)."""
    form = SignInForm(request.POST or None)
    sent = limited = unavailable = False
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].strip().lower()
        if sign_in_allowed(ip=client_ip(request), email=email):
            try:
                sign_in_links_send.delay(email)
            except BROKER_ERRORS:
                # The broker (Redis) is down: say so at once (its connect timeout is short).
                logger.exception("sign-in links could not be queued")
                unavailable = True
            else:
                sent = True
                form = SignInForm()
        else:
            limited = True
    response = render(
        request,
        "public/sign_in.html",
        {"form": form, "sent": sent, "limited": limited, "unavailable": unavailable},
        status=503 if unavailable else 429 if limited else 200,
    )
    if unavailable:
        response["Retry-After"] = "60"
    return response
