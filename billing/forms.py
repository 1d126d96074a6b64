from django import forms
from django.utils.translation import gettext_lazy as _

from billing.models import PlanStripePrice
from plans.models import Plan


class PlanChoiceForm(forms.Form):
    """The plan and billing period the owner picks on the billing page."""

    plan = forms.ModelChoiceField(
        queryset=Plan.objects.filter(is_public=True), to_field_name="code", label=_("Plan")
    )
    interval = forms.ChoiceField(choices=PlanStripePrice.Interval.choices, label=_("Billing period"))
