"""Teacher payroll: pay rules per teacher (combinable), period statements built from the sessions
actually taught (a substitute's session pays the substitute), each line traceable to its session.
An approved statement is recorded as an expense and no longer changes. Tenant schema."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from academy.models import Session, Teacher
from core.models import TimeStampedModel
from inventory.models import Expense
from inventory.models.fields import money_field


class PayRule(TimeStampedModel):
    class Kind(models.TextChoices):
        PER_CLASS = "per_class", _("Per class taught")
        PER_HOUR = "per_hour", _("Per hour taught")
        PER_ATTENDEE = "per_attendee", _("Per attendee, with a minimum")
        REVENUE_SHARE = "revenue_share", _("Share of the class's revenue")
        FIXED_MONTHLY = "fixed_monthly", _("Fixed monthly amount")

    teacher = models.ForeignKey(
        Teacher, on_delete=models.CASCADE, related_name="pay_rules", verbose_name=_("teacher")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    amount = money_field(_("amount"), default=0)
    minimum = money_field(_("minimum per class"), default=0)
    percent = models.DecimalField(_("share (%)"), max_digits=5, decimal_places=2, default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("pay rule")
        verbose_name_plural = _("pay rules")
        ordering = ["teacher", "kind"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0, minimum__gte=0, percent__gte=0, percent__lte=100),
                name="pay_rule_ranges",
            )
        ]

    def __str__(self):
        return f"{self.teacher} · {self.get_kind_display()}"


class PayrollStatement(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")

    teacher = models.ForeignKey(Teacher, on_delete=models.PROTECT, related_name="payroll_statements")
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    total = money_field(_("total"), default=0)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    expense = models.OneToOneField(
        Expense, on_delete=models.PROTECT, null=True, blank=True, related_name="payroll_statement"
    )

    class Meta:
        verbose_name = _("payroll statement")
        verbose_name_plural = _("payroll statements")
        ordering = ["-period_start", "teacher__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["teacher", "period_start", "period_end"], name="payroll_one_per_period"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="payroll_period_ordered"
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(approved_at__isnull=False),
                name="payroll_approved_has_when",
            ),
        ]

    def __str__(self):
        return f"{self.teacher} {self.period_start}–{self.period_end}"


class PayrollLine(models.Model):
    statement = models.ForeignKey(PayrollStatement, on_delete=models.CASCADE, related_name="lines")
    rule = models.ForeignKey(PayRule, on_delete=models.PROTECT, related_name="+")
    # Empty only for a fixed monthly amount: every other line comes from one taught session.
    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, null=True, blank=True, related_name="payroll_lines"
    )
    description = models.CharField(_("description"), max_length=200)
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2, default=1)
    amount = money_field(_("amount"))

    class Meta:
        verbose_name = _("payroll line")
        verbose_name_plural = _("payroll lines")
        ordering = ["session__starts_at", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="payroll_line_not_negative")]

    def __str__(self):
        return self.description
