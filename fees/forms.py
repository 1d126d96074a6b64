"""Forms of the tuition screens: they validate input; the views call the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from inventory.models import PaymentMethod


class PaymentForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount"), min_value=0, max_digits=14, decimal_places=2)
    method = forms.ChoiceField(label=_("Payment method"), choices=PaymentMethod.choices)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class CreditNoteForm(forms.Form):
    charge = forms.IntegerField(widget=forms.HiddenInput)
    amount = forms.DecimalField(label=_("Amount"), min_value=0, max_digits=14, decimal_places=2)
    reason = forms.CharField(label=_("Reason"), max_length=200)


class RunForm(forms.Form):
    month = forms.DateField(
        label=_("Month"), widget=forms.DateInput(attrs={"type": "month"}), input_formats=["%Y-%m"]
    )


class FeeSettingsForm(forms.Form):
    billing_day = forms.IntegerField(label=_("Billing day"), min_value=1, max_value=28)
    due_days = forms.IntegerField(label=_("Days to pay"), min_value=0, max_value=90)
    sibling_discount_percent = forms.DecimalField(
        label=_("Discount from the second student of a family (%)"),
        min_value=0,
        max_value=100,
        decimal_places=2,
    )
    registration_fee = forms.DecimalField(
        label=_("Registration fee per semester"), min_value=0, max_digits=14, decimal_places=2
    )
