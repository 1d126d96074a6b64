"""What academy students buy and what it entitles them to.

An offer is sold as a product of the catalogue (a service, no stock): the sale stays the one
record of money in. Selling one to a student grants an entitlement linked to the sale's line; a
voided sale or a returned line takes it away (read from the sale, never copied). Tenant schema.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from academy.models import ClassType, Session
from core.models import TimeStampedModel
from customers.models import Customer
from inventory.models import Product, SaleLine


class Offer(TimeStampedModel):
    class Kind(models.TextChoices):
        MEMBERSHIP = "membership", _("Monthly membership")
        PACK = "pack", _("Class pack")
        DROP_IN = "drop_in", _("Drop-in class")
        TRIAL = "trial", _("Trial class")
        REGISTRATION = "registration", _("Registration fee")

    class ValidFrom(models.TextChoices):
        SALE = "sale", _("From the sale")
        FIRST_USE = "first_use", _("From the first class")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=120, unique=True)
    # The price lives on the product (what the till and the sale read).
    product = models.OneToOneField(
        Product, on_delete=models.PROTECT, related_name="academy_offer", verbose_name=_("product")
    )
    # Empty: every class type.
    class_types = models.ManyToManyField(
        ClassType, blank=True, related_name="offers", verbose_name=_("class types")
    )
    credits = models.PositiveSmallIntegerField(_("classes"), null=True, blank=True)
    valid_days = models.PositiveSmallIntegerField(_("valid for (days)"), null=True, blank=True)
    valid_from = models.CharField(
        _("validity starts"), max_length=10, choices=ValidFrom.choices, default=ValidFrom.SALE
    )
    # Memberships: classes a week (empty: unlimited).
    weekly_limit = models.PositiveSmallIntegerField(_("classes a week"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind__in=["pack", "drop_in", "trial"]) | Q(credits__gt=0, valid_days__gt=0),
                name="offer_credits_have_count_and_validity",
            ),
            models.CheckConstraint(
                condition=Q(weekly_limit__isnull=True) | Q(weekly_limit__gt=0),
                name="offer_weekly_limit_positive",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def price(self):
        return self.product.sale_price

    @property
    def grants_classes(self) -> bool:
        return self.kind != self.Kind.REGISTRATION


class Entitlement(TimeStampedModel):
    """What one sale of an offer gave one student: a month of membership, or credits.

    A membership's month runs ``starts_on`` to ``ends_on`` (pauses push ``ends_on`` later). A pack's
    validity starts at the sale or at the first class (``ends_on`` empty until then).
    """

    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="entitlements")
    student = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="entitlements", verbose_name=_("student")
    )
    sale_line = models.OneToOneField(
        SaleLine, on_delete=models.PROTECT, related_name="academy_entitlement", verbose_name=_("sale")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Offer.Kind.choices)
    credits_total = models.PositiveSmallIntegerField(_("classes"), null=True, blank=True)
    credits_used = models.PositiveSmallIntegerField(_("classes used"), default=0)
    weekly_limit = models.PositiveSmallIntegerField(_("classes a week"), null=True, blank=True)
    # Packs valid from the first class: the days the clock runs once it starts.
    valid_days = models.PositiveSmallIntegerField(_("valid for (days)"), null=True, blank=True)
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("entitlement")
        verbose_name_plural = _("entitlements")
        ordering = ["ends_on", "pk"]
        constraints = [
            # The promise of the check-in: credits never go below zero, whatever the concurrency.
            models.CheckConstraint(
                condition=Q(credits_total__isnull=True) | Q(credits_used__lte=models.F("credits_total")),
                name="entitlement_credits_within_total",
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="entitlement_dates_ordered",
            ),
        ]
        indexes = [models.Index(fields=["student", "ends_on"], name="entitlement_student_ends")]

    def __str__(self):
        return f"{self.offer.name} · {self.student}"

    @property
    def credits_left(self) -> int | None:
        return None if self.credits_total is None else self.credits_total - self.credits_used


class EntitlementUse(TimeStampedModel):
    """One class taken on an entitlement: the trace from the session back to the sale."""

    entitlement = models.ForeignKey(Entitlement, on_delete=models.PROTECT, related_name="uses")
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="entitlement_uses")
    student = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+")
    # The session's local date (weekly allowances count by it).
    session_date = models.DateField()

    class Meta:
        verbose_name = _("class taken")
        verbose_name_plural = _("classes taken")
        constraints = [
            models.UniqueConstraint(fields=["session", "student"], name="entitlement_use_once_per_session")
        ]


class Freeze(TimeStampedModel):
    """A pause of a membership: no classes in it, and the month ends that many days later."""

    entitlement = models.ForeignKey(Entitlement, on_delete=models.CASCADE, related_name="freezes")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("pause")
        verbose_name_plural = _("pauses")
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="freeze_dates_ordered"
            )
        ]

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1
