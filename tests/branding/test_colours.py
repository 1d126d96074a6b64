"""Colours: the #RRGGBB format, WCAG contrast, the text colour on the primary, the secondary rule."""

import itertools

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from branding.colours import (
    AA_NORMAL_TEXT,
    BLACK,
    NEAR_BLACK,
    WHITE,
    colour_normalise,
    contrast_ratio,
    ratio_text,
    relative_luminance,
    text_colour_on,
    validate_secondary_colour,
)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("#ABCDEF", "#abcdef"), (" #0f766e ", "#0f766e"), ("", ""), ("#000000", "#000000")],
)
def test_colours_are_stored_as_lower_case_rrggbb(typed, stored):
    assert colour_normalise(typed) == stored


@pytest.mark.parametrize("typed", ["abcdef", "#abc", "#abcdefa", "red", "#12345g", "rgb(1,2,3)", "#ab cdef"])
def test_anything_but_rrggbb_is_refused(typed):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        colour_normalise(typed)
    assert "six hexadecimal digits" in refused.value.messages[0]


def test_contrast_ratio_follows_wcag():
    assert contrast_ratio(WHITE, BLACK) == pytest.approx(21)
    assert contrast_ratio("#0f766e", "#0f766e") == pytest.approx(1)
    # WebAIM's figures: #767676 is the lightest grey that passes AA on white; #777777 fails.
    assert contrast_ratio("#767676", WHITE) == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio("#777777", WHITE) == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#777777", WHITE) == contrast_ratio(WHITE, "#777777")


def test_text_on_a_dark_primary_is_white_and_on_a_light_one_near_black():
    assert text_colour_on("#0f766e") == WHITE
    assert text_colour_on("#1e3a8a") == WHITE
    assert text_colour_on("#ffd700") == NEAR_BLACK
    assert text_colour_on("#f8fafc") == NEAR_BLACK


def test_mid_tones_where_near_black_falls_short_get_black():
    # Relative luminance 0.183-0.200: white and #111111 both stay under 4.5:1.
    mid = "#7b7b7b"
    assert 0.183 < relative_luminance(mid) < 0.2
    assert contrast_ratio(WHITE, mid) < AA_NORMAL_TEXT
    assert contrast_ratio(NEAR_BLACK, mid) < AA_NORMAL_TEXT
    assert text_colour_on(mid) == BLACK


def test_every_primary_gets_a_text_colour_that_reaches_aa():
    steps = range(0, 256, 17)
    for red, green, blue in itertools.product(steps, steps, steps):
        colour = f"#{red:02x}{green:02x}{blue:02x}"
        assert contrast_ratio(text_colour_on(colour), colour) >= AA_NORMAL_TEXT, colour


def test_a_secondary_colour_unreadable_on_the_page_is_refused_with_the_reason():
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        validate_secondary_colour("#ffd700")

    message = refused.value.messages[0]
    assert "#ffd700" in message
    assert "1.3" in message  # its contrast on the page
    assert "4.5:1" in message
    assert refused.value.code == "secondary_contrast"


def test_the_ratio_in_the_reason_is_rounded_down():
    # 4.4999:1 fails AA, so the reason must never say 4.50.
    with translation.override("en"):
        assert ratio_text(4.4999) == "4.49"
        assert ratio_text(4.28) == "4.28"
    with translation.override("es"):
        assert ratio_text(4.4999) == "4,49"


@pytest.mark.parametrize("colour", ["#1d4ed8", "#0f766e", "#7c3aed", "#000000", ""])
def test_readable_secondary_colours_pass(colour):
    validate_secondary_colour(colour)
