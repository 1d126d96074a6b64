"""Billing on the workspace's subdomain (the owner's page, Checkout and the portal) and Stripe's
webhook on the bare domain."""

import logging

from django.contrib import messages
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import Perm, permission_required_view
from billing.events import stripe_webhook_receive
from billing.exceptions import BillingError, DowngradeRefused, InvalidWebhook, StripeUnavailable
from billing.forms import PlanChoiceForm
from billing.selectors import billing_overview
from billing.services import billing_portal_start, plan_purchase_start, plan_request_create
from core import metrics

logger = logging.getLogger(__name__)


def _page(request, *, form=None, refused: DowngradeRefused | None = None, status: int = 200):
    checkout = request.GET.get("checkout")
    if checkout == "success":
        messages.success(request, _("Thank you! Your subscription shows here as soon as Stripe confirms it."))
    elif checkout == "cancelled":
        messages.info(request, _("Checkout was cancelled: nothing was charged."))
    context = {
        "overview": billing_overview(tenant=request.tenant, can_manage=True),
        "form": form or PlanChoiceForm(),
        "refused": refused,
    }
    return render(request, "billing/page.html", context, status=status)


@require_GET
@permission_required_view(Perm.MANAGE_BILLING)
def billing_page(request):
    """The workspace's plan, subscription, next charge and invoices; choosing a plan."""
    return _page(request)


@require_POST
@permission_required_view(Perm.MANAGE_BILLING)
def checkout_start(request):
    """Send the owner to Stripe Checkout (or to the portal to confirm a change of plan)."""
    form = PlanChoiceForm(request.POST)
    if not form.is_valid():
        return _page(request, form=form, status=400)
    try:
        url = plan_purchase_start(
            tenant=request.tenant,
            plan=form.cleaned_data["plan"],
            interval=form.cleaned_data["interval"],
            request=request,
        )
    except DowngradeRefused as refused:
        return _page(request, form=form, refused=refused, status=400)
    except BillingError as error:
        messages.error(request, error.message)
        return redirect("billing:index")
    return HttpResponseRedirect(url, status=303)


@require_POST
@permission_required_view(Perm.MANAGE_BILLING)
def plan_request(request):
    """Manual mode: record "request this plan" for the platform team (one click, no email)."""
    form = PlanChoiceForm(request.POST)
    if not form.is_valid():
        return _page(request, form=form, status=400)
    try:
        recorded = plan_request_create(
            tenant=request.tenant,
            plan=form.cleaned_data["plan"],
            interval=form.cleaned_data["interval"],
            requested_by=request.user.email,
        )
    except DowngradeRefused as refused:
        return _page(request, form=form, refused=refused, status=400)
    except BillingError as error:
        messages.error(request, error.message)
        return redirect("billing:index")
    messages.success(
        request,
        _("Request sent: the platform team will move you to %(plan)s and invoice you.")
        % {"plan": recorded.plan.name},
    )
    return redirect("billing:index")


@require_POST
@permission_required_view(Perm.MANAGE_BILLING)
def portal_start(request):
    """Send the owner to Stripe's customer portal (payment method, cancellation)."""
    try:
        url = billing_portal_start(tenant=request.tenant, request=request)
    except BillingError as error:
        messages.error(request, error.message)
        return redirect("billing:index")
    return HttpResponseRedirect(url, status=303)


@csrf_exempt
@require_POST
def stripe_webhook(request):
    """Stripe's events. 400 when the signature is missing, wrong or stale (nothing is stored);
    503 when Stripe could not be read for it (nothing is stored; Stripe retries); 200 for every
    verified event, processed once however many times it arrives."""
    try:
        receipt = stripe_webhook_receive(
            payload=request.body, signature=request.headers.get("Stripe-Signature")
        )
    except InvalidWebhook as invalid:
        logger.warning("stripe webhook refused: %s", invalid)
        metrics.WEBHOOK_DELIVERIES.labels(provider="stripe", outcome="refused").inc()
        return JsonResponse({"detail": "Invalid signature.", "code": "invalid_signature"}, status=400)
    except StripeUnavailable:
        # Nothing was written: Stripe retries the delivery later.
        metrics.WEBHOOK_DELIVERIES.labels(provider="stripe", outcome="retry_later").inc()
        return JsonResponse(
            {"detail": "Stripe unreachable, retry.", "code": "stripe_unavailable"}, status=503
        )
    outcome = "duplicate" if receipt.duplicate else "processed"
    metrics.WEBHOOK_DELIVERIES.labels(provider="stripe", outcome=outcome).inc()
    return JsonResponse({"received": receipt.event_id, "duplicate": receipt.duplicate})
