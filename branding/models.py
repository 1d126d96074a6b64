"""A workspace's brand (tenant schema: one row per workspace)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel

COLOUR_FORMAT = r"^(#[0-9a-f]{6})?$"


class Branding(TimeStampedModel):
    """What the workspace set, whatever its plan applies today (a downgrade keeps all of it).

    Colours are lower-case ``#rrggbb`` or empty (the product's default). Files are the names of
    the stored renditions (see branding.storage), empty when there is none.
    """

    # The one row of the schema.
    SINGLETON_ID = 1

    commercial_name = models.CharField(_("commercial name"), max_length=80, blank=True)
    primary_colour = models.CharField(_("primary colour"), max_length=7, blank=True)
    secondary_colour = models.CharField(_("secondary colour"), max_length=7, blank=True)
    accent_colour = models.CharField(_("accent colour"), max_length=7, blank=True)
    # Enterprise's white label is on unless the workspace turns it off.
    white_label = models.BooleanField(_("hide the product's name"), default=True)
    logo = models.CharField(_("logo"), max_length=64, blank=True)
    logo_2x = models.CharField(_("logo (2×)"), max_length=64, blank=True)
    favicon_32 = models.CharField(_("favicon"), max_length=64, blank=True)
    favicon_180 = models.CharField(_("home-screen icon"), max_length=64, blank=True)
    # True when the favicon was uploaded; otherwise it is drawn from the logo.
    favicon_uploaded = models.BooleanField(_("favicon uploaded"), default=False)

    class Meta:
        verbose_name = _("branding")
        verbose_name_plural = _("branding")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="branding_single_row"),
            models.CheckConstraint(
                condition=models.Q(primary_colour__regex=COLOUR_FORMAT), name="branding_primary_colour_hex"
            ),
            models.CheckConstraint(
                condition=models.Q(secondary_colour__regex=COLOUR_FORMAT),
                name="branding_secondary_colour_hex",
            ),
            models.CheckConstraint(
                condition=models.Q(accent_colour__regex=COLOUR_FORMAT), name="branding_accent_colour_hex"
            ),
            models.CheckConstraint(
                condition=models.Q(logo="", logo_2x="") | (~models.Q(logo="") & ~models.Q(logo_2x="")),
                name="branding_logo_both_sizes",
            ),
            models.CheckConstraint(
                condition=models.Q(favicon_32="", favicon_180="")
                | (~models.Q(favicon_32="") & ~models.Q(favicon_180="")),
                name="branding_favicon_both_sizes",
            ),
        ]

    def __str__(self):
        return self.commercial_name or str(_("branding"))

    def file_names(self) -> set[str]:
        return {name for name in (self.logo, self.logo_2x, self.favicon_32, self.favicon_180) if name}
