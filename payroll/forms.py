"""Forms of the payroll screens: they validate input; the views call the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from academy.selectors import teacher_list
from payroll.models import PayRule


class PayRuleForm(forms.Form):
    teacher = forms.ModelChoiceField(label=_("Teacher"), queryset=teacher_list())
    kind = forms.ChoiceField(label=_("Kind"), choices=PayRule.Kind.choices)
    amount = forms.DecimalField(
        label=_("Amount"), min_value=0, max_digits=14, decimal_places=2, required=False
    )
    minimum = forms.DecimalField(
        label=_("Minimum per class"), min_value=0, max_digits=14, decimal_places=2, required=False
    )
    percent = forms.DecimalField(
        label=_("Share (%)"), min_value=0, max_value=100, decimal_places=2, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teacher"].queryset = teacher_list()


class BuildForm(forms.Form):
    teacher = forms.ModelChoiceField(label=_("Teacher"), queryset=teacher_list())
    period_start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teacher"].queryset = teacher_list()


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("The period must end on or after the day it starts."))
        return data
