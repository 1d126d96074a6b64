"""Billing's answers to what happens to a workspace (signals of the tenants app)."""

import logging

from djstripe import event_handlers as djstripe_handlers
from djstripe.models import Event as DjstripeEvent
from djstripe.signals import WEBHOOK_SIGNALS

from billing.events import HANDLED_EVENTS, on_stripe_event
from billing.exceptions import StripeUnavailable
from billing.services import billing_subscription_cancel
from tenants.signals import workspace_closed

logger = logging.getLogger(__name__)


def cancel_subscription_of_closed_workspace(sender, tenant, **kwargs) -> None:
    """A closed workspace must not be charged again (no-op in manual billing mode)."""
    try:
        billing_subscription_cancel(tenant=tenant)
    except StripeUnavailable:
        # Logged by billing; the super-admin cancels it by hand from the Stripe dashboard.
        logger.warning("subscription of closed workspace %s still live at Stripe", tenant.slug)


# dj-stripe's default webhook handlers read every object again from Stripe inside the processing
# transaction; billing reads first (billing.mirror) and syncs the mirror itself.
DJSTRIPE_DEFAULT_HANDLERS = [
    value for name, value in vars(djstripe_handlers).items() if name.startswith("handle_") and callable(value)
]


def connect() -> None:
    workspace_closed.connect(cancel_subscription_of_closed_workspace, dispatch_uid="billing.closed_workspace")
    for signal in WEBHOOK_SIGNALS.values():
        for handler in DJSTRIPE_DEFAULT_HANDLERS:
            signal.disconnect(handler, sender=DjstripeEvent)
    for event_type in HANDLED_EVENTS:
        WEBHOOK_SIGNALS[event_type].connect(
            on_stripe_event, sender=DjstripeEvent, dispatch_uid=f"billing.stripe_event.{event_type}"
        )
