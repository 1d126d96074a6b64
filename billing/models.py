"""Billing on Stripe (public schema): Stripe prices of the plans, each workspace's account and
subscription, and the webhook events received."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from plans.models import Plan

# --- Stripe (public schema) ----------------------------------------------------------------------


class PlanStripePrice(TimeStampedModel):
    """The Stripe price that charges for a plan in one currency and billing interval."""

    class Interval(models.TextChoices):
        MONTH = "month", _("Monthly")
        YEAR = "year", _("Yearly")

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="stripe_prices", verbose_name=_("plan")
    )
    currency = models.CharField(_("currency"), max_length=3, help_text=_("ISO code, e.g. ARS or USD."))
    interval = models.CharField(_("billing interval"), max_length=8, choices=Interval.choices)
    stripe_price_id = models.CharField(_("Stripe price id"), max_length=255, unique=True)
    is_active = models.BooleanField(_("offered"), default=True)

    class Meta:
        verbose_name = _("Stripe price")
        verbose_name_plural = _("Stripe prices")
        ordering = ["plan__rank", "currency", "interval"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "currency", "interval"],
                condition=models.Q(is_active=True),
                name="plan_stripe_price_one_active",
            ),
            models.CheckConstraint(
                condition=models.Q(currency__regex=r"^[A-Z]{3}$"), name="plan_stripe_price_currency_iso4217"
            ),
        ]

    def __str__(self):
        return f"{self.plan} · {self.currency} · {self.get_interval_display()}"


class SubscriptionStatus(models.TextChoices):
    """Stripe's subscription statuses, as Stripe spells them."""

    INCOMPLETE = "incomplete", _("Incomplete")
    INCOMPLETE_EXPIRED = "incomplete_expired", _("Incomplete (expired)")
    TRIALING = "trialing", _("Trialing")
    ACTIVE = "active", _("Active")
    PAST_DUE = "past_due", _("Past due")
    UNPAID = "unpaid", _("Unpaid")
    CANCELED = "canceled", _("Cancelled")
    PAUSED = "paused", _("Paused")


# A subscription in one of these is being paid for (or about to be): the workspace is usable.
GOOD_STANDING = (SubscriptionStatus.TRIALING, SubscriptionStatus.ACTIVE)
# Payment failed: usable during the grace period, suspended after it.
OVERDUE = (SubscriptionStatus.PAST_DUE, SubscriptionStatus.UNPAID)
# Over: the workspace becomes read-only.
ENDED = (SubscriptionStatus.CANCELED, SubscriptionStatus.INCOMPLETE_EXPIRED, SubscriptionStatus.PAUSED)
LIVE = GOOD_STANDING + OVERDUE


class BillingAccount(TimeStampedModel):
    """A workspace's side of Stripe: its customer, its current subscription, its dunning state."""

    # Kept (without its workspace) once a closed workspace is purged: revenue and churn stay true.
    tenant = models.OneToOneField(
        "tenants.Tenant",
        on_delete=models.SET_NULL,
        null=True,
        related_name="billing_account",
        verbose_name=_("workspace"),
    )
    stripe_customer_id = models.CharField(
        _("Stripe customer id"), max_length=255, unique=True, null=True, blank=True
    )
    # The subscription that decides the workspace's status (the newest live one, else the newest).
    subscription = models.OneToOneField(
        "BillingSubscription",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("current subscription"),
    )
    # Set when a payment fails; the workspace is suspended once it has passed.
    grace_until = models.DateTimeField(_("grace period ends"), null=True, blank=True)
    # The trial end the "trial ends in 3 days" email was sent for (a new trial end sends again).
    trial_reminder_sent_for = models.DateTimeField(_("trial reminder sent for"), null=True, blank=True)

    class Meta:
        verbose_name = _("billing account")
        verbose_name_plural = _("billing accounts")

    def __str__(self):
        return str(self.tenant) if self.tenant_id else self.stripe_customer_id or f"#{self.pk}"


class BillingSubscription(TimeStampedModel):
    """One Stripe subscription, as the latest event about it described it.

    Kept after it ends: MRR and churn are read from these rows, not from plan list prices.
    """

    account = models.ForeignKey(
        BillingAccount, on_delete=models.CASCADE, related_name="subscriptions", verbose_name=_("account")
    )
    stripe_subscription_id = models.CharField(_("Stripe subscription id"), max_length=255, unique=True)
    stripe_item_id = models.CharField(_("Stripe subscription item id"), max_length=255, blank=True)
    stripe_price_id = models.CharField(_("Stripe price id"), max_length=255, blank=True)
    status = models.CharField(_("status"), max_length=24, choices=SubscriptionStatus.choices)
    plan = models.ForeignKey(
        Plan, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("plan")
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    # What one billing interval costs (all items, quantities and decimals applied).
    amount = models.DecimalField(_("amount per interval"), max_digits=14, decimal_places=2, default=0)
    interval = models.CharField(_("interval"), max_length=8, blank=True)
    interval_count = models.PositiveSmallIntegerField(_("interval count"), default=1)
    # ``amount`` as a monthly figure (a yearly price divided by 12).
    monthly_amount = models.DecimalField(_("monthly amount"), max_digits=14, decimal_places=2, default=0)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    trial_end = models.DateTimeField(_("trial ends"), null=True, blank=True)
    current_period_end = models.DateTimeField(_("current period ends"), null=True, blank=True)
    cancel_at_period_end = models.BooleanField(_("cancels at period end"), default=False)
    canceled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    # ``created`` of the newest event applied, for the status (subscription and invoice events)
    # and for the rest (subscription events only): an older event arriving late changes nothing,
    # and an invoice event never hides a later plan change.
    status_event_created = models.DateTimeField(_("status as of"), null=True, blank=True)
    details_event_created = models.DateTimeField(_("details as of"), null=True, blank=True)
    # When the state above was read from Stripe (before the webhook's transaction): a read made
    # earlier never replaces one made later, whatever order the deliveries commit in.
    synced_at = models.DateTimeField(_("read from Stripe at"), null=True, blank=True)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="billing_subscription_amount_gte_0"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=SubscriptionStatus.values),
                name="billing_subscription_status_known",
            ),
        ]

    def __str__(self):
        return self.stripe_subscription_id

    @property
    def is_live(self) -> bool:
        return self.status in LIVE


class StripeEvent(models.Model):
    """Each Stripe event processed, once, with what it did to which workspace (the event itself
    is in dj-stripe's Event table): inserted first inside the processing transaction, so a
    repeated or racing delivery hits the primary key and is answered without processing again."""

    class Outcome(models.TextChoices):
        APPLIED = "applied", _("Applied")
        STALE = "stale", _("Older than what is known (not applied)")
        UNMATCHED = "unmatched", _("No workspace for it")
        IGNORED = "ignored", _("Not handled")

    event_id = models.CharField(_("Stripe event id"), max_length=255, primary_key=True)
    type = models.CharField(_("type"), max_length=100, db_index=True)
    created = models.DateTimeField(_("created at Stripe"))
    livemode = models.BooleanField(_("live mode"), default=False)
    account = models.ForeignKey(
        BillingAccount,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("account"),
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.IGNORED)
    received_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        verbose_name = _("Stripe event")
        verbose_name_plural = _("Stripe events")
        ordering = ["-received_at"]

    def __str__(self):
        return f"{self.event_id} {self.type}"


class PlanRequest(TimeStampedModel):
    """An owner's "request this plan" while the platform invoices by hand (no Stripe keys): the
    super-admin sees it in the admin and applies it with one action."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPLIED = "applied", _("Applied")
        WITHDRAWN = "withdrawn", _("Replaced by a newer request")

    tenant = models.ForeignKey(
        "tenants.Tenant", on_delete=models.CASCADE, related_name="plan_requests", verbose_name=_("workspace")
    )
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="+", verbose_name=_("plan"))
    interval = models.CharField(_("billing interval"), max_length=8, choices=PlanStripePrice.Interval.choices)
    # Users live in the workspace's schema: the requester is kept by email.
    requested_by = models.EmailField(_("requested by"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    applied_by = models.EmailField(_("applied by"), blank=True)

    class Meta:
        verbose_name = _("plan request")
        verbose_name_plural = _("plan requests")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant"], condition=models.Q(status="pending"), name="plan_request_one_pending"
            ),
        ]

    def __str__(self):
        return f"{self.tenant} → {self.plan}"
