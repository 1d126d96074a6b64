"""Forms of the payments screens: they validate input; the views call the services."""

from django import forms
from django.utils.translation import gettext_lazy as _


class MercadoPagoForm(forms.Form):
    access_token = forms.CharField(
        label=_("Access token"),
        max_length=300,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=_("APP_USR-… from Your integrations › Credentials. Leave empty to keep the saved one."),
    )
    webhook_secret = forms.CharField(
        label=_("Webhook secret signature"),
        max_length=300,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=_("From Your integrations › Webhooks. Leave empty to keep the saved one."),
    )


class WompiForm(forms.Form):
    public_key = forms.CharField(label=_("Public key"), max_length=120, required=False)
    private_key = forms.CharField(
        label=_("Private key"),
        max_length=300,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )
    events_secret = forms.CharField(
        label=_("Events secret"),
        max_length=300,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )
    integrity_secret = forms.CharField(
        label=_("Integrity secret"),
        max_length=300,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=_("Secrets left empty keep the saved ones."),
    )


class LinkForm(forms.Form):
    """A link for a registered payable (``ref`` picked from the kind's choices) or a manual amount."""

    ref = forms.ChoiceField(label=_("What is owed"), required=False)
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    amount = forms.DecimalField(
        label=_("Amount"), min_value=0, max_digits=14, decimal_places=2, required=False
    )
    payer_name = forms.CharField(label=_("Payer"), max_length=160, required=False)
    payer_email = forms.EmailField(label=_("Payer email"), required=False)
    provider = forms.ChoiceField(label=_("Provider"), required=False)
    send_email = forms.BooleanField(label=_("Send it by email now"), required=False, initial=True)

    def __init__(self, *args, kind: str, ref_choices, providers, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind == "manual":
            del self.fields["ref"]
            for name in ("description", "amount"):
                self.fields[name].required = True
        else:
            self.fields["ref"].choices = list(ref_choices)
            self.fields["ref"].required = True
            for name in ("description", "amount", "payer_name"):
                del self.fields[name]
            self.fields["payer_email"].help_text = _("Empty: the email on file.")
        self.fields["provider"].choices = [("", _("Automatic"))] + list(providers)


class EmailForm(forms.Form):
    email = forms.EmailField(label=_("Email"), required=False)
