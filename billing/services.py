"""Writes for billing that the owner starts: the Stripe customer, Checkout and the customer portal.

What Stripe then does comes back through the webhook (billing.events); nothing here changes the
workspace's plan or status by itself.
"""

import logging
from datetime import datetime, timedelta

import stripe
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context
from djstripe.models import Customer

from billing.dunning import ACTION_SUBSCRIBED
from billing.exceptions import (
    BillingError,
    BillingOffline,
    DowngradeRefused,
    PlanNotPurchasable,
    StripeUnavailable,
)
from billing.models import LIVE, BillingAccount, BillingSubscription, PlanRequest
from billing.selectors import billing_account_get, plan_excesses, plan_stripe_price_for
from billing.stripe_api import billing_online, stripe_client
from plans.models import Plan
from plans.usage import workspace_usage
from tenants.lifecycle import tenant_change_plan, tenant_status_set
from tenants.models import Tenant
from tenants.services import workspace_url

logger = logging.getLogger(__name__)

# Stripe Checkout refuses a trial that ends sooner than this.
CHECKOUT_MIN_TRIAL = timedelta(hours=48)
CHECKOUT_LOCALES = ("es", "en")


def billing_account_ensure(*, tenant: Tenant) -> BillingAccount:
    """The workspace's billing account, created empty the first time."""
    account, _ = BillingAccount.objects.get_or_create(tenant=tenant)
    return account


def billing_customer_ensure(*, tenant: Tenant) -> BillingAccount:
    """The workspace's account with its Stripe customer, created once.

    The customer is created through dj-stripe (the workspace is its subscriber, so dj-stripe's
    Customer row points at the tenant) with an idempotency key per workspace: two clicks at once
    make one customer at Stripe.
    """
    account = billing_account_ensure(tenant=tenant)
    if account.stripe_customer_id:
        return account
    try:
        customer, _ = Customer.get_or_create(
            subscriber=tenant,
            livemode=settings.STRIPE_LIVE_MODE,
            description=tenant.name,
            metadata={"tenant_id": str(tenant.pk), "workspace": tenant.slug},
        )
    except stripe.StripeError as error:
        logger.warning("stripe customer create failed: %s %s", type(error).__name__, error.request_id)
        raise StripeUnavailable(
            _("Stripe could not be reached. Nothing was charged; try again shortly.")
        ) from error
    with transaction.atomic():
        account = BillingAccount.objects.select_for_update().get(pk=account.pk)
        if not account.stripe_customer_id:
            account.stripe_customer_id = customer.id
            account.save(update_fields=["stripe_customer_id", "updated_at"])
    return account


def plan_change_check(*, tenant: Tenant, plan: Plan) -> None:
    """Refuse a plan whose limits the workspace already passes, naming what to reduce."""
    with schema_context(tenant.schema_name):
        excesses = plan_excesses(plan=plan, usage=workspace_usage())
    if excesses:
        raise DowngradeRefused(
            _("%(plan)s allows less than this workspace already has. Reduce these first:")
            % {"plan": plan.name},
            excesses,
        )


def _billing_url(tenant: Tenant, request, query: str = "") -> str:
    return workspace_url(tenant, reverse("billing:index") + query, request=request)


def _checkout_locale() -> str:
    language = (translation.get_language() or "").split("-")[0]
    return language if language in CHECKOUT_LOCALES else "auto"


def plan_purchase_start(
    *, tenant: Tenant, plan: Plan, interval: str, request=None, now: datetime | None = None
) -> str:
    """Start buying ``plan``: the URL of Stripe Checkout, or, for a workspace that already has a
    subscription, of the customer portal confirming the change (prorated by Stripe).

    Raises BillingOffline, PlanNotPurchasable, DowngradeRefused, StripeUnavailable.
    """
    now = now or timezone.now()
    if not billing_online():
        raise BillingOffline(_("Your plan is managed by the platform team."))
    price = plan_stripe_price_for(plan=plan, currency=tenant.currency, interval=interval)
    if price is None:
        raise PlanNotPurchasable(
            _("%(plan)s cannot be bought online with this billing period.") % {"plan": plan.name}
        )
    plan_change_check(tenant=tenant, plan=plan)
    account = billing_customer_ensure(tenant=tenant)
    current = billing_account_get(tenant=tenant).subscription
    if current is not None and current.status in LIVE:
        if current.stripe_price_id == price.stripe_price_id:
            raise BillingError(_("This is already your plan."))
        return _portal_session(tenant=tenant, account=account, request=request, change_to=(current, price))
    params = {
        "mode": "subscription",
        "customer": account.stripe_customer_id,
        "client_reference_id": str(tenant.pk),
        "line_items": [{"price": price.stripe_price_id, "quantity": 1}],
        "success_url": _billing_url(tenant, request, "?checkout=success"),
        "cancel_url": _billing_url(tenant, request, "?checkout=cancelled"),
        "locale": _checkout_locale(),
        "metadata": {"tenant_id": str(tenant.pk)},
        "subscription_data": {"metadata": {"tenant_id": str(tenant.pk), "plan": plan.code}},
    }
    # What is left of the workspace's trial carries over (Stripe needs at least 48 hours of it).
    if (
        tenant.status == Tenant.Status.TRIAL
        and tenant.trial_ends_at
        and tenant.trial_ends_at - now >= CHECKOUT_MIN_TRIAL
    ):
        params["subscription_data"]["trial_end"] = int(tenant.trial_ends_at.timestamp())
    try:
        session = stripe_client().v1.checkout.sessions.create(params=params)
    except stripe.StripeError as error:
        logger.warning("stripe checkout create failed: %s %s", type(error).__name__, error.request_id)
        raise StripeUnavailable(
            _("Stripe could not be reached. Nothing was charged; try again shortly.")
        ) from error
    return session.url


def billing_portal_start(*, tenant: Tenant, request=None) -> str:
    """The URL of Stripe's customer portal (payment method, invoices, cancellation)."""
    if not billing_online():
        raise BillingOffline(_("Your plan is managed by the platform team."))
    account = billing_account_get(tenant=tenant)
    if account is None or not account.stripe_customer_id:
        raise BillingError(_("Choose a plan first: there is no payment method to manage yet."))
    return _portal_session(tenant=tenant, account=account, request=request)


def _portal_session(*, tenant: Tenant, account: BillingAccount, request, change_to=None) -> str:
    return_url = _billing_url(tenant, request)
    params = {"customer": account.stripe_customer_id, "return_url": return_url, "locale": _checkout_locale()}
    if change_to is not None:
        subscription, price = change_to
        params["flow_data"] = {
            "type": "subscription_update_confirm",
            "subscription_update_confirm": {
                "subscription": subscription.stripe_subscription_id,
                "items": [{"id": subscription.stripe_item_id, "price": price.stripe_price_id, "quantity": 1}],
            },
            "after_completion": {"type": "redirect", "redirect": {"return_url": return_url}},
        }
    try:
        session = stripe_client().v1.billing_portal.sessions.create(params=params)
    except stripe.StripeError as error:
        logger.warning("stripe portal create failed: %s %s", type(error).__name__, error.request_id)
        raise StripeUnavailable(
            _("Stripe could not be reached. Nothing was charged; try again shortly.")
        ) from error
    return session.url


def billing_subscription_cancel(*, tenant: Tenant) -> BillingSubscription | None:
    """Cancel the workspace's live subscription at Stripe at once (the workspace is being closed:
    it must not be charged again). Stripe's customer.subscription.deleted then records the end.

    Returns the subscription cancelled, or None when there was none (or billing is manual).
    """
    account = billing_account_get(tenant=tenant)
    subscription = account.subscription if account else None
    if subscription is None or subscription.status not in LIVE or not billing_online():
        return None
    try:
        stripe_client().v1.subscriptions.cancel(
            subscription.stripe_subscription_id,
            params={"cancellation_details": {"comment": "workspace closed"}},
        )
    except stripe.StripeError as error:
        logger.warning("stripe subscription cancel failed: %s %s", type(error).__name__, error.request_id)
        raise StripeUnavailable(
            _("Stripe could not be reached. Nothing was charged; try again shortly.")
        ) from error
    return subscription


# --- Manual mode: "request this plan" -------------------------------------------------------------


def plan_request_create(*, tenant: Tenant, plan: Plan, interval: str, requested_by: str = "") -> PlanRequest:
    """Record the owner's request for ``plan`` while the platform invoices by hand (no Stripe
    keys); a newer request replaces the pending one. The super-admin applies it from the admin.

    Raises BillingError (billing is online, or it is already the plan), DowngradeRefused.
    """
    if billing_online():
        raise BillingError(_("Choose a plan below and pay online."))
    if tenant.plan_id == plan.pk:
        raise BillingError(_("This is already your plan."))
    plan_change_check(tenant=tenant, plan=plan)
    with transaction.atomic():
        # One click or two at once: the workspace's row orders them, the last one stands.
        Tenant.objects.select_for_update().filter(pk=tenant.pk).first()
        PlanRequest.objects.filter(tenant=tenant, status=PlanRequest.Status.PENDING).update(
            status=PlanRequest.Status.WITHDRAWN, updated_at=timezone.now()
        )
        plan_request = PlanRequest.objects.create(
            tenant=tenant, plan=plan, interval=interval, requested_by=requested_by
        )
    logger.info("plan %s requested for workspace %s", plan.code, tenant.slug)
    return plan_request


def plan_request_apply(*, plan_request: PlanRequest, actor_email: str = "") -> PlanRequest:
    """Apply a pending request: the workspace moves to the plan and, from a trial or read-only,
    to active (the platform invoices it by hand). Applying it twice changes nothing."""
    with transaction.atomic():
        plan_request = PlanRequest.objects.select_for_update().select_related("plan").get(pk=plan_request.pk)
        if plan_request.status != PlanRequest.Status.PENDING:
            return plan_request
        tenant = Tenant.objects.select_related("plan").get(pk=plan_request.tenant_id)
        tenant = tenant_change_plan(tenant=tenant, plan=plan_request.plan, actor_email=actor_email)
        if tenant.status in (Tenant.Status.TRIAL, Tenant.Status.TRIAL_EXPIRED):
            tenant_status_set(
                tenant=tenant,
                to=Tenant.Status.ACTIVE,
                allowed_from=(Tenant.Status.TRIAL, Tenant.Status.TRIAL_EXPIRED),
                action=ACTION_SUBSCRIBED,
                actor_email=actor_email,
                data={"plan_request": plan_request.pk},
            )
        plan_request.status = PlanRequest.Status.APPLIED
        plan_request.applied_at = timezone.now()
        plan_request.applied_by = actor_email
        plan_request.save(update_fields=["status", "applied_at", "applied_by", "updated_at"])
    return plan_request
