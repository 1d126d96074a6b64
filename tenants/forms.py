from django import forms
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.models import User
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
    country = forms.ChoiceField(label=_("Country"), choices=COUNTRIES, initial="AR")
    currency = forms.ChoiceField(label=_("Currency"), choices=CURRENCIES, initial="ARS")
    time_zone = forms.ChoiceField(label=_("Time zone"), initial="America/Argentina/Buenos_Aires")
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    owner_name = forms.CharField(label=_("Your name"), max_length=150)
    owner_email = forms.EmailField(label=_("Your email"))
    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(render_value=False)
    )
    accept_terms = forms.BooleanField(
        label=format_html('{} <a href="/legal/terms/" target="_blank">{}</a>', _("I accept the"), _("Terms")),
        error_messages={"required": _("You must accept the Terms to create a workspace.")},
    )
    accept_privacy = forms.BooleanField(
        label=format_html(
            '{} <a href="/legal/privacy/" target="_blank">{}</a>', _("I accept the"), _("Privacy policy")
        ),
        error_messages={"required": _("You must accept the Privacy policy to create a workspace.")},
    )

    def __init__(self, *args, language: str = "es", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = time_zone_choices()
        self.fields["language"].initial = language
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
        password = cleaned.get("password")
        if password:
            probe = User(email=cleaned.get("owner_email", ""), full_name=cleaned.get("owner_name", ""))
            try:
                validate_password(password, user=probe)
            except ValidationError as error:
                self.add_error("password", error)
        return cleaned
