class BillingError(Exception):
    """Base of billing's domain errors; ``message`` is shown to the owner."""

    code = "billing_error"

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class BillingOffline(BillingError):
    """Stripe keys are not configured: plans are assigned by the platform team."""

    code = "billing_offline"


class PlanNotPurchasable(BillingError):
    """The plan has no Stripe price for the workspace's currency and the chosen interval."""

    code = "plan_not_purchasable"


class DowngradeRefused(BillingError):
    """The workspace already has more of something than the chosen plan allows."""

    code = "downgrade_refused"

    def __init__(self, message, excesses):
        super().__init__(message)
        self.excesses = excesses


class StripeUnavailable(BillingError):
    """Stripe could not be reached or refused the request (nothing was changed)."""

    code = "stripe_unavailable"


class InvalidWebhook(Exception):
    """A webhook delivery whose signature is missing, wrong or too old, or that is no event."""
