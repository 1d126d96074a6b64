"""dj-stripe as the mirror of Stripe: the platform's Customers (each one's subscriber is its
workspace), Subscriptions and their items, Prices, Products, Invoices, PaymentMethods and Events.

A webhook delivery fills the mirror in two steps:

1. ``snapshot_fetch`` (no transaction, nothing written): read from Stripe the current state of
   what the event is about (the subscription, the invoice, ...) and whatever dj-stripe's sync
   would otherwise follow by id and the mirror does not hold yet (the customer, the products of
   the prices, a default payment method), inlined as Stripe's own ``expand`` would. Stripe
   being slow or down fails here, before anything is locked or written.
2. ``snapshot_apply`` (inside the webhook's transaction, with the network refused): dj-stripe's
   own ``sync_from_stripe_data`` writes each object, then the Event row.

dj-stripe's default webhook handlers re-read every object from Stripe inside the processing
transaction; they are disconnected (billing.receivers) and step 1 does their reading instead.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime

import stripe
from django.conf import settings
from django.utils import timezone
from djstripe.models import (
    Account,
    APIKey,
    Customer,
    Event,
    Invoice,
    PaymentMethod,
    Price,
    Product,
    Subscription,
)

from billing.exceptions import StripeUnavailable
from billing.models import BillingSubscription
from billing.stripe_api import stripe_client

logger = logging.getLogger(__name__)

SUBSCRIPTION_EVENTS = frozenset(
    {
        "customer.subscription.created",
        "customer.subscription.updated",
        "customer.subscription.deleted",
        "customer.subscription.paused",
        "customer.subscription.resumed",
        "customer.subscription.trial_will_end",
        "customer.subscription.pending_update_applied",
        "customer.subscription.pending_update_expired",
    }
)
INVOICE_EVENTS = frozenset(
    {
        "invoice.created",
        "invoice.finalized",
        "invoice.updated",
        "invoice.paid",
        "invoice.payment_succeeded",
        "invoice.payment_failed",
        "invoice.payment_action_required",
        "invoice.marked_uncollectible",
        "invoice.voided",
    }
)
CUSTOMER_EVENTS = frozenset({"customer.created", "customer.updated"})
PAYMENT_METHOD_EVENTS = frozenset(
    {
        "payment_method.attached",
        "payment_method.updated",
        "payment_method.automatically_updated",
        "payment_method.detached",
    }
)
CATALOG_EVENTS = frozenset({"product.created", "product.updated", "price.created", "price.updated"})
# Stripe never brings a subscription back from these (a new subscription is made instead).
TERMINAL_STATUSES = ("canceled", "incomplete_expired")


def id_of(value) -> str | None:
    """A Stripe reference, expanded (an object) or not (its id)."""
    if value is None or isinstance(value, str):
        return value or None
    return value.get("id")  # a dict or a StripeObject


def invoice_subscription_id(obj) -> str | None:
    """The invoice's subscription: top level before 2025-03-31 ("basil"), under parent since."""
    parent = obj.get("parent") or {}
    details = parent.get("subscription_details") or {}
    return id_of(obj.get("subscription")) or id_of(details.get("subscription"))


def subscription_id_for(event_type: str, obj: dict) -> str | None:
    """The subscription an event is about, if any."""
    if event_type in SUBSCRIPTION_EVENTS:
        return obj.get("id")
    if event_type in INVOICE_EVENTS:
        return invoice_subscription_id(obj)
    if event_type == "checkout.session.completed":
        return id_of(obj.get("subscription"))
    return None


@dataclass
class Snapshot:
    """What was read from Stripe for one event, before its transaction."""

    # Taken before the first read: the state below is at least as new as this.
    fetched_at: datetime
    customer_id: str | None = None
    # The platform's Stripe account, only while dj-stripe holds none for the key (once per key).
    account: object | None = None
    customer: object | None = None
    payment_methods: list = field(default_factory=list)
    products: list = field(default_factory=list)
    prices: list = field(default_factory=list)
    subscription: object | None = None
    invoice: object | None = None


def _owner_account_known(api_key: str) -> bool:
    return APIKey.objects.filter(secret=api_key, djstripe_owner_account__isnull=False).exists()


def snapshot_fetch(*, event: dict, customer_id: str | None, subscription_id: str | None) -> Snapshot:
    """Read from Stripe what processing ``event`` needs (see the module docstring).

    ``customer_id``: the workspace's customer, None when the event matches no workspace (then
    only the Event itself is mirrored). Raises StripeUnavailable; writes nothing.
    """
    snapshot = Snapshot(fetched_at=timezone.now(), customer_id=customer_id)
    client = stripe_client()
    event_type, obj = event["type"], event["data"]["object"]
    try:
        if not _owner_account_known(settings.STRIPE_SECRET_KEY):
            snapshot.account = client.v1.accounts.retrieve_current()
        if customer_id is None:
            return snapshot
        if event_type in INVOICE_EVENTS and obj.get("id"):
            snapshot.invoice = client.v1.invoices.retrieve(obj["id"], params=_expand(Invoice))
        if subscription_id:
            subscription = client.v1.subscriptions.retrieve(
                subscription_id, params={"expand": ["items.data.price.product"]}
            )
            if id_of(subscription.get("customer")) == customer_id:
                snapshot.subscription = subscription
            else:
                logger.error("stripe subscription %s is another customer's: not mirrored", subscription_id)
        if event_type in PAYMENT_METHOD_EVENTS and obj.get("id"):
            snapshot.payment_methods.append(client.v1.payment_methods.retrieve(obj["id"]))
        if event_type.startswith("product.") and event_type in CATALOG_EVENTS:
            snapshot.products.append(client.v1.products.retrieve(obj["id"]))
        if event_type.startswith("price.") and event_type in CATALOG_EVENTS:
            snapshot.prices.append(client.v1.prices.retrieve(obj["id"], params=_expand(Price)))
        if event_type in CUSTOMER_EVENTS or not Customer.objects.filter(id=customer_id).exists():
            snapshot.customer = client.v1.customers.retrieve(
                customer_id, params=_expand(Customer, "invoice_settings.default_payment_method")
            )
        _inline_references(client, snapshot)
    except stripe.StripeError as error:
        # The error's class and request id only: never a payload.
        logger.warning(
            "stripe read for event %s failed: %s %s", event["id"], type(error).__name__, error.request_id
        )
        raise StripeUnavailable("Stripe could not be reached") from error
    return snapshot


def _expand(model, *more: str) -> dict:
    """The nested objects dj-stripe's sync of ``model`` expects expanded (its own list)."""
    return {"expand": [*getattr(model, "expand_fields", []), *more]}


def _inline_references(client, snapshot: Snapshot) -> None:
    """Put in place of an id each object dj-stripe's sync would otherwise read from Stripe (as
    Stripe's ``expand`` returns them): a customer's default payment method, a price's product."""
    if snapshot.customer is not None:
        settings_ = snapshot.customer.get("invoice_settings") or {}
        method = settings_.get("default_payment_method")
        if isinstance(method, str) and not PaymentMethod.objects.filter(id=method).exists():
            settings_["default_payment_method"] = client.v1.payment_methods.retrieve(method)
    products: dict[str, object] = {product["id"]: product for product in snapshot.products}
    prices = list(snapshot.prices)
    if snapshot.subscription is not None:
        for item in (snapshot.subscription.get("items") or {}).get("data") or []:
            if item.get("price"):
                prices.append(item["price"])
    for price in prices:
        product = price.get("product")
        if isinstance(product, str) and not Product.objects.filter(id=product).exists():
            if product not in products:
                products[product] = client.v1.products.retrieve(product)
            price["product"] = products[product]
    if snapshot.invoice is not None:
        method = snapshot.invoice.get("default_payment_method")
        if isinstance(method, str) and not PaymentMethod.objects.filter(id=method).exists():
            snapshot.invoice["default_payment_method"] = client.v1.payment_methods.retrieve(method)


def _owner_account_store(account) -> None:
    """dj-stripe's APIKey -> Account link (what ``APIKey.refresh_account`` does, from data
    read beforehand): every synced object names the platform account as its owner."""
    api_key = settings.STRIPE_SECRET_KEY
    key, _ = APIKey.objects.get_or_create_by_api_key(api_key)
    if key.djstripe_owner_account_id:
        return
    owner, created = Account.objects.get_or_create(id=account["id"])
    key.djstripe_owner_account = owner
    key.save(update_fields=["djstripe_owner_account"])
    if created:
        Account.sync_from_stripe_data(account, api_key=api_key)


def subscription_read_is_stale(*, subscription_id: str, fetched_at: datetime) -> bool:
    """True when a later read of this subscription was applied already."""
    synced_at = (
        BillingSubscription.objects.filter(stripe_subscription_id=subscription_id)
        .values_list("synced_at", flat=True)
        .first()
    )
    return synced_at is not None and fetched_at < synced_at


def snapshot_apply(*, snapshot: Snapshot, tenant) -> None:
    """Write what was read into dj-stripe's tables (the caller holds the transaction, the
    workspace's account lock and ``network_refused``). The customer's subscriber is always the
    workspace that owns the customer here, whatever its metadata claims."""
    api_key = settings.STRIPE_SECRET_KEY
    if snapshot.account is not None:
        _owner_account_store(snapshot.account)
    if snapshot.customer_id is None:
        return
    if snapshot.customer is not None:
        Customer.sync_from_stripe_data(snapshot.customer, api_key=api_key)
    if tenant is not None:
        Customer.objects.filter(id=snapshot.customer_id).exclude(subscriber=tenant).update(subscriber=tenant)
    for method in snapshot.payment_methods:
        PaymentMethod.sync_from_stripe_data(method, api_key=api_key)
    for product in snapshot.products:
        Product.sync_from_stripe_data(product, api_key=api_key)
    for price in snapshot.prices:
        Price.sync_from_stripe_data(price, api_key=api_key)
    subscription = snapshot.subscription
    if subscription is not None and not subscription_read_is_stale(
        subscription_id=subscription["id"], fetched_at=snapshot.fetched_at
    ):
        mirrored = Subscription.objects.filter(id=subscription["id"]).first()
        revived = (
            mirrored is not None
            and mirrored.status in TERMINAL_STATUSES
            and subscription.get("status") not in TERMINAL_STATUSES
        )
        if not revived:
            Subscription.sync_from_stripe_data(subscription, api_key=api_key)
    if snapshot.invoice is not None:
        invoice = snapshot.invoice
        # Charges and PaymentIntents are not mirrored (the current API version no longer puts
        # them on invoices): an old-shape reference is not followed.
        for key in ("charge", "payment_intent"):
            if isinstance(invoice.get(key), str):
                invoice[key] = None
        # Discounts come expanded (asked for); an id that was not cannot be followed here.
        if any(isinstance(discount, str) for discount in invoice.get("discounts") or []):
            invoice["discounts"] = [d for d in invoice["discounts"] if not isinstance(d, str)]
        Invoice.sync_from_stripe_data(invoice, api_key=api_key)


def event_record(*, event: dict) -> Event:
    """The event in dj-stripe's Event table (the caller has made sure it is new)."""
    return Event._create_from_stripe_object(event, api_key=settings.STRIPE_SECRET_KEY)
