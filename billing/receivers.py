"""Billing's answers to what happens to a workspace (signals of the tenants app)."""

import logging

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


def connect() -> None:
    workspace_closed.connect(cancel_subscription_of_closed_workspace, dispatch_uid="billing.closed_workspace")
