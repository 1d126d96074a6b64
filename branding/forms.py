"""The branding page's form. It only collects: the rules (plan level, colours, files) are the
service's, whose refusals the view puts back next to each field."""

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from branding.defaults import PRODUCT_NAME
from branding.images import MAX_UPLOAD_BYTES
from branding.levels import Feature, level_allows
from branding.models import Branding

IMAGE_TYPES = "image/png,image/jpeg,image/webp"

# form field -> the feature it needs
FIELD_FEATURES = {
    "commercial_name": Feature.NAME,
    "logo": Feature.LOGO,
    "remove_logo": Feature.LOGO,
    "favicon": Feature.FAVICON,
    "remove_favicon": Feature.FAVICON,
    "primary_colour": Feature.PRIMARY,
    "secondary_colour": Feature.SECONDARY,
    "accent_colour": Feature.ACCENT,
    "white_label": Feature.WHITE_LABEL,
}


class ColourInput(forms.TextInput):
    """#RRGGBB typed; the page adds a colour picker next to it (branding/preview.js)."""

    def __init__(self, attrs=None):
        base = {
            "pattern": "#[0-9a-fA-F]{6}",
            "placeholder": "#0f766e",
            "maxlength": "7",
            "autocomplete": "off",
            "spellcheck": "false",
            "class": "colour-text",
        }
        super().__init__({**base, **(attrs or {})})


class BrandingForm(forms.Form):
    commercial_name = forms.CharField(
        label=_("Commercial name"),
        max_length=Branding._meta.get_field("commercial_name").max_length,
        required=False,
        help_text=_("Shown in the header, the page titles and the emails. Empty: the workspace's name."),
    )
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": IMAGE_TYPES}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)
    favicon = forms.FileField(
        label=_("Favicon"),
        required=False,
        widget=forms.FileInput(attrs={"accept": IMAGE_TYPES}),
        help_text=_("Square works best. Without one, the favicon is drawn from the logo."),
    )
    remove_favicon = forms.BooleanField(label=_("Draw the favicon from the logo again"), required=False)
    primary_colour = forms.CharField(
        label=_("Primary colour"),
        required=False,
        widget=ColourInput(),
        help_text=_("Header and buttons. Their text turns white or near-black, whichever reads better."),
    )
    secondary_colour = forms.CharField(
        label=_("Secondary colour"),
        required=False,
        widget=ColourInput(),
        help_text=_("Links and secondary buttons: it must read well on the page (contrast 4.5:1)."),
    )
    accent_colour = forms.CharField(
        label=_("Accent colour"),
        required=False,
        widget=ColourInput(attrs={"placeholder": "#f59e0b"}),
        help_text=_("A line under the header and highlights."),
    )
    white_label = forms.BooleanField(required=False)

    def __init__(self, *args, level: str, branding: Branding, locked_messages: dict, too_large=(), **kwargs):
        initial = {
            "commercial_name": branding.commercial_name,
            "primary_colour": branding.primary_colour,
            "secondary_colour": branding.secondary_colour,
            "accent_colour": branding.accent_colour,
            "white_label": branding.white_label,
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.too_large = set(too_large)
        self.locked = {name for name, feature in FIELD_FEATURES.items() if not level_allows(level, feature)}
        size = filesizeformat(MAX_UPLOAD_BYTES)
        self.fields["white_label"].label = _("White label: hide the %(product)s name and link") % {
            "product": PRODUCT_NAME
        }
        self.fields["logo"].help_text = _(
            "PNG, JPEG or WebP up to %(size)s; shown at up to 400×100 pixels."
        ) % {"size": size}
        for name in self.locked:
            field = self.fields[name]
            field.disabled = True
            field.help_text = locked_messages[FIELD_FEATURES[name]]
        if not branding.logo:
            del self.fields["remove_logo"]
        if not branding.favicon_uploaded:
            del self.fields["remove_favicon"]

    def clean(self):
        cleaned = super().clean()
        for name in self.too_large:
            if name in self.fields:
                self.add_error(
                    name,
                    _("The file weighs more than %(max)s, the most allowed.")
                    % {"max": filesizeformat(MAX_UPLOAD_BYTES)},
                )
        return cleaned

    def service_arguments(self) -> dict:
        """The cleaned values for branding_update: None for what is locked or not sent."""
        data = self.cleaned_data
        arguments = {}
        for name in ("commercial_name", "primary_colour", "secondary_colour", "accent_colour", "white_label"):
            arguments[name] = None if name in self.locked else data.get(name)
        for name in ("logo", "favicon"):
            arguments[name] = None if name in self.locked else (data.get(name) or None)
        for name in ("remove_logo", "remove_favicon"):
            arguments[name] = bool(name in self.fields and name not in self.locked and data.get(name))
        return arguments
