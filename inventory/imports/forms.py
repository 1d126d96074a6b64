"""The upload form of the imports screen."""

from django import forms
from django.utils.translation import gettext_lazy as _

from inventory.models import ImportJob, Location

ACCEPT = ".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=ImportJob.Kind.choices)
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "CSV (comma or semicolon, UTF-8 or Latin-1) or Excel (.xlsx); the first row names the columns."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    location = forms.ModelChoiceField(
        label=_("Location"),
        queryset=Location.objects.none(),
        required=False,
        empty_label=_("From the file's location column"),
        help_text=_("For opening stock and sales history: where rows without a location go."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Evaluated per request, in the workspace's schema.
        self.fields["location"].queryset = Location.objects.filter(is_active=True).order_by("name")
