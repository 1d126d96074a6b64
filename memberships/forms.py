"""Forms of the memberships screens: they validate input; the views call the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from academy.models import ClassType
from academy.selectors import site_list
from inventory.models import PaymentMethod
from memberships.models import Offer
from memberships.selectors import offer_list


class OfferForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Offer.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=120)
    price = forms.DecimalField(label=_("Price"), min_value=0, max_digits=14, decimal_places=2)
    class_types = forms.ModelMultipleChoiceField(
        label=_("Class types"),
        queryset=ClassType.objects.all(),
        required=False,
        help_text=_("Leave empty for every class type."),
    )
    credits = forms.IntegerField(
        label=_("Classes"), min_value=1, max_value=500, required=False, help_text=_("Class packs only.")
    )
    valid_days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=1000, required=False)
    valid_from = forms.ChoiceField(label=_("Validity starts"), choices=Offer.ValidFrom.choices)
    weekly_limit = forms.IntegerField(
        label=_("Classes a week"),
        min_value=1,
        max_value=50,
        required=False,
        help_text=_("Memberships only; empty for unlimited."),
    )


class SellForm(forms.Form):
    offer = forms.ModelChoiceField(label=_("Offer"), queryset=Offer.objects.none())
    site = forms.ModelChoiceField(label=_("Site"), queryset=site_list())
    payment_method = forms.ChoiceField(label=_("Payment method"), choices=PaymentMethod.choices)
    amount_tendered = forms.DecimalField(
        label=_("Amount tendered"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offer"].queryset = offer_list(active_only=True)
        self.fields["site"].queryset = site_list()


class FreezeForm(forms.Form):
    starts_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)
