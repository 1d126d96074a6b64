"""Colours: the #RRGGBB format and WCAG 2.x contrast (relative luminance, contrast ratio).

https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio: AA asks 4.5:1 for normal text.
"""

import math
import re

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from branding.defaults import PAGE_BACKGROUNDS

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
AA_NORMAL_TEXT = 4.5
WHITE = "#ffffff"
# Softer than pure black on a coloured button; pure black stays as the last resort for the few
# mid-tone colours (relative luminance about 0.18 to 0.20) on which neither white nor this reach AA.
NEAR_BLACK = "#111111"
BLACK = "#000000"


def colour_normalise(value: str) -> str:
    """``value`` as lower-case ``#rrggbb``, or ValidationError. Empty stays empty (the default)."""
    value = (value or "").strip()
    if not value:
        return ""
    if not HEX_COLOUR.match(value):
        raise ValidationError(
            _("Enter a colour as # followed by six hexadecimal digits, for example #0f766e."),
            code="colour_format",
        )
    return value.lower()


def _channel(value: int) -> float:
    srgb = value / 255
    return srgb / 12.92 if srgb <= 0.04045 else ((srgb + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(red) + 0.7152 * _channel(green) + 0.0722 * _channel(blue)


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio between two #rrggbb colours, from 1 (same) to 21 (black on white)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def text_colour_on(background: str) -> str:
    """The text colour for ``background``: white or near-black, whichever reaches AA (4.5:1).

    Every colour has one of white and pure black above 4.58:1, so the answer always reaches AA.
    """
    for candidate in (WHITE, NEAR_BLACK, BLACK):
        if contrast_ratio(candidate, background) >= AA_NORMAL_TEXT:
            return candidate
    return BLACK  # unreachable: black reaches AA wherever white does not


def readable_on_page(colour: str) -> float:
    """The lowest contrast of ``colour`` as text (links, secondary buttons) on the page's backgrounds."""
    return min(contrast_ratio(colour, background) for background in PAGE_BACKGROUNDS)


def ratio_text(ratio: float) -> str:
    """A ratio for people, rounded down (4.499 must not read as 4.50) in the active locale."""
    return number_format(math.floor(ratio * 100) / 100, 2)


def validate_secondary_colour(colour: str) -> None:
    """The secondary colour is text on the page (links, secondary buttons): it must reach AA there."""
    if not colour:
        return
    ratio = readable_on_page(colour)
    if ratio < AA_NORMAL_TEXT:
        raise ValidationError(
            _(
                "%(colour)s reaches only %(ratio)s:1 against the page background; links and "
                "secondary buttons need at least 4.5:1 (WCAG AA). Choose a darker colour."
            )
            % {"colour": colour, "ratio": ratio_text(ratio)},
            code="secondary_contrast",
        )
