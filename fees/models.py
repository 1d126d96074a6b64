"""Monthly tuition, what each family owes, and what it paid.

An account is a family, or, for a student without one, the student's contact (the guardian of a
minor, else the student): ``payer`` names who is written to, ``family`` groups siblings. Charges
are never edited: a credit note corrects one. A payment pays one or more charges of its account,
in part or in full. Receipts and credit notes are numbered without gaps. Tenant schema.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from academy.models import AcademyClass, Enrolment
from core.models import TimeStampedModel
from customers.models import Customer, Family
from inventory.models import PaymentMethod
from inventory.models.fields import money_field


class FeeSettings(models.Model):
    """The academy's billing rules (one row)."""

    billing_day = models.PositiveSmallIntegerField(_("billing day"), default=1)
    due_days = models.PositiveSmallIntegerField(_("days to pay"), default=10)
    sibling_discount_percent = models.DecimalField(
        _("discount from the second student of a family (%)"), max_digits=5, decimal_places=2, default=10
    )
    # Charged once per student and semester by the monthly run (zero: no registration fee).
    registration_fee = money_field(_("registration fee per semester"), default=0)

    class Meta:
        verbose_name = _("billing rules")
        verbose_name_plural = _("billing rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(billing_day__gte=1, billing_day__lte=28), name="fee_billing_day"
            ),
            models.CheckConstraint(
                condition=Q(sibling_discount_percent__gte=0, sibling_discount_percent__lte=100),
                name="fee_sibling_discount_range",
            ),
        ]

    def __str__(self):
        return str(self._meta.verbose_name)


class ClassFee(TimeStampedModel):
    """The monthly tuition of a class."""

    academy_class = models.OneToOneField(
        AcademyClass, on_delete=models.CASCADE, related_name="fee", verbose_name=_("class")
    )
    monthly_amount = money_field(_("monthly tuition"))

    class Meta:
        verbose_name = _("class fee")
        verbose_name_plural = _("class fees")
        constraints = [
            models.CheckConstraint(condition=Q(monthly_amount__gte=0), name="class_fee_not_negative")
        ]


class TuitionRun(TimeStampedModel):
    """One month's tuition run: started once, resumed until finished."""

    period = models.DateField(_("month"), unique=True)  # the first day of the month
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    charges_created = models.PositiveIntegerField(_("charges created"), default=0)

    class Meta:
        verbose_name = _("tuition run")
        verbose_name_plural = _("tuition runs")
        ordering = ["-period"]
        constraints = [models.CheckConstraint(condition=Q(period__day=1), name="tuition_run_first_of_month")]


class Charge(TimeStampedModel):
    class Kind(models.TextChoices):
        TUITION = "tuition", _("Tuition")
        REGISTRATION = "registration", _("Registration fee")
        OTHER = "other", _("Other")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    student = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="charges", verbose_name=_("student")
    )
    payer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+", verbose_name=_("payer"))
    family = models.ForeignKey(
        Family,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="charges",
        verbose_name=_("family"),
    )
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.PROTECT, null=True, blank=True, related_name="charges"
    )
    period = models.DateField(_("month"), null=True, blank=True)
    # Registration fees: the semester they cover ("2027-1").
    term = models.CharField(_("term"), max_length=10, blank=True)
    description = models.CharField(_("description"), max_length=200)
    gross_amount = money_field(_("amount before discounts"))
    discount = money_field(_("discount"), default=0)
    amount = money_field(_("amount"))
    issued_on = models.DateField(_("issued on"))
    due_on = models.DateField(_("due on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("charge")
        verbose_name_plural = _("charges")
        ordering = ["due_on", "pk"]
        constraints = [
            # What makes the monthly run safe to retry or to run twice at once.
            models.UniqueConstraint(
                fields=["enrolment", "period"],
                condition=Q(kind="tuition"),
                name="charge_tuition_once_a_month",
            ),
            models.UniqueConstraint(
                fields=["student", "term"],
                condition=Q(kind="registration"),
                name="charge_registration_once_a_term",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="charge_amount_positive"),
            models.CheckConstraint(
                condition=Q(discount__gte=0) & Q(amount=models.F("gross_amount") - models.F("discount")),
                name="charge_amount_is_gross_less_discount",
            ),
        ]
        indexes = [models.Index(fields=["family", "payer"], name="charge_account")]

    def __str__(self):
        return self.description


class CreditNote(TimeStampedModel):
    number = models.PositiveIntegerField(_("number"), unique=True)
    charge = models.ForeignKey(
        Charge, on_delete=models.PROTECT, related_name="credit_notes", verbose_name=_("charge")
    )
    amount = money_field(_("amount"))
    reason = models.CharField(_("reason"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("credit note")
        verbose_name_plural = _("credit notes")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="credit_note_amount_positive"),
            models.CheckConstraint(condition=~Q(reason=""), name="credit_note_has_reason"),
        ]


class Payment(TimeStampedModel):
    """Money received from an account; its allocations say which charges it pays."""

    number = models.PositiveIntegerField(_("receipt number"), unique=True)
    payer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="+", verbose_name=_("payer"))
    family = models.ForeignKey(
        Family,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
        verbose_name=_("family"),
    )
    amount = money_field(_("amount"))
    method = models.CharField(_("payment method"), max_length=16, choices=PaymentMethod.choices)
    received_at = models.DateTimeField(_("received at"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-received_at", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive")]


class PaymentAllocation(models.Model):
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="allocations")
    charge = models.ForeignKey(Charge, on_delete=models.PROTECT, related_name="allocations")
    amount = money_field(_("amount"))

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_allocation_positive"),
            models.UniqueConstraint(fields=["payment", "charge"], name="payment_allocation_once"),
        ]

    def __str__(self):
        return f"{self.payment_id} → {self.charge_id}: {self.amount}"


class Reminder(models.Model):
    """A reminder sent about a charge, once per stage (so a daily job may run twice)."""

    class Stage(models.TextChoices):
        BEFORE_DUE = "before_due", _("Before it is due")
        ON_DUE = "on_due", _("On the due date")
        LATE = "late", _("A week late")

    charge = models.ForeignKey(Charge, on_delete=models.CASCADE, related_name="reminders")
    stage = models.CharField(max_length=12, choices=Stage.choices)
    sent_at = models.DateTimeField()
    email = models.EmailField(blank=True)  # empty: nobody to write to (or opted out) when it was due

    class Meta:
        constraints = [models.UniqueConstraint(fields=["charge", "stage"], name="reminder_once_per_stage")]

    def __str__(self):
        return f"{self.charge_id} {self.stage}"


class ReminderOptOut(models.Model):
    """A payer who asked for no payment reminders."""

    payer = models.OneToOneField(Customer, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return str(self.payer_id)
