from decimal import Decimal

from django import forms
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import User
from tenants.countries import COUNTRY_DEFAULTS, DEFAULT_COUNTRY, country_defaults
from tenants.human_check import AltchaField
from tenants.models import Tenant
from tenants.signup import (
    COUNTRIES,
    CURRENCIES,
    RESERVED_SUBDOMAINS,
    SUBDOMAIN_RE,
    subdomain_is_free,
    subdomain_suggestions,
    time_zone_choices,
)


def taken_message(slug: str, kind: str = "") -> str:
    suggestions = subdomain_suggestions(slug, kind)
    if suggestions:
        return _("“%(slug)s” is already taken. Free alternatives: %(suggestions)s.") % {
            "slug": slug,
            "suggestions": ", ".join(suggestions),
        }
    return _("“%(slug)s” is already taken.") % {"slug": slug}


class SignupForm(forms.Form):
    business_name = forms.CharField(label=_("Business name"), max_length=120)
    subdomain = forms.CharField(
        label=_("Your address"),
        help_text=_("3 to 40 characters: lowercase letters, digits and hyphens (not at the ends)."),
    )
    kind = forms.ChoiceField(label=_("Kind of business"), choices=Tenant.Kind.choices)
    country = forms.ChoiceField(label=_("Country"), choices=COUNTRIES)
    currency = forms.ChoiceField(label=_("Currency"), choices=CURRENCIES)
    time_zone = forms.ChoiceField(label=_("Time zone"))
    tax_id_label = forms.CharField(
        label=_("Name of your tax ID"), max_length=20, required=False, help_text=_("NIT, RUT, RFC, CUIT…")
    )
    default_tax_rate = forms.DecimalField(
        label=_("Usual tax rate (%)"),
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        decimal_places=2,
        required=False,
        help_text=_("New products start with it; you can change it per product."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    owner_name = forms.CharField(label=_("Your name"), max_length=150)
    owner_email = forms.EmailField(label=_("Your email"))
    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(render_value=False)
    )
    # Labels with links are set per form (see __init__), in the visitor's language: a label built
    # here would be frozen in the language active when the module was imported.
    accept_terms = forms.BooleanField(
        error_messages={"required": _("You must accept the Terms to create a workspace.")},
    )
    accept_privacy = forms.BooleanField(
        error_messages={"required": _("You must accept the Privacy policy to create a workspace.")},
    )
    # Proof of a human (ALTCHA proof of work, tenants.human_check).
    altcha = AltchaField()

    def __init__(self, *args, language: str = "es", country: str | None = None, **kwargs):
        """``country``: the browser's (its language's region); it sets the other defaults."""
        super().__init__(*args, **kwargs)
        country = country if country in COUNTRY_DEFAULTS else DEFAULT_COUNTRY
        defaults = country_defaults(country)
        self.fields["country"].initial = country
        self.fields["currency"].initial = defaults.currency
        self.fields["time_zone"].initial = defaults.time_zones[0]
        self.fields["tax_id_label"].initial = defaults.tax_id_label
        self.fields["default_tax_rate"].initial = defaults.tax_rate
        # The zones offered are the chosen country's (the submitted one on a POST).
        chosen = self.data.get("country") if self.is_bound else country
        self.fields["time_zone"].choices = time_zone_choices(
            chosen if chosen in COUNTRY_DEFAULTS else country
        )
        self.fields["country"].widget.attrs["data-country-select"] = ""
        self.fields["language"].initial = language
        self.fields["altcha"].widget.attrs["language"] = language
        self.fields["accept_terms"].label = format_html(
            '{} <a href="/legal/terms/" target="_blank">{}</a>', _("I accept the"), _("Terms")
        )
        self.fields["accept_privacy"].label = format_html(
            '{} <a href="/legal/privacy/" target="_blank">{}</a>',
            pgettext_lazy("the privacy policy", "I accept the"),
            _("Privacy policy"),
        )
        self.fields["subdomain"].widget.attrs.update(
            {"autocapitalize": "none", "autocomplete": "off", "spellcheck": "false"}
        )

    def clean_subdomain(self):
        slug = self.cleaned_data["subdomain"].strip().lower()
        if len(slug) < 3 or len(slug) > 40:
            raise ValidationError(_("The address must have between 3 and 40 characters."), code="length")
        if not SUBDOMAIN_RE.match(slug) or slug.startswith("xn--"):
            raise ValidationError(
                _("Use only lowercase letters, digits and hyphens, with no hyphen at the start or the end."),
                code="invalid",
            )
        if slug in RESERVED_SUBDOMAINS:
            raise ValidationError(
                _("“%(slug)s” is reserved. Please choose another address.") % {"slug": slug}
            )
        if not subdomain_is_free(slug):
            raise ValidationError(taken_message(slug, self.data.get("kind", "")), code="taken")
        return slug

    def clean_owner_email(self):
        return self.cleaned_data["owner_email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("default_tax_rate") is None and cleaned.get("country"):
            cleaned["default_tax_rate"] = country_defaults(cleaned["country"]).tax_rate
        password = cleaned.get("password")
        if password:
            probe = User(email=cleaned.get("owner_email", ""), full_name=cleaned.get("owner_name", ""))
            try:
                validate_password(password, user=probe)
            except ValidationError as error:
                self.add_error("password", error)
        return cleaned
