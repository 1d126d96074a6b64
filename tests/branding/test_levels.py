"""Plan levels (seed 004): Básico logo only; Profesional adds colours and favicon; Enterprise adds
the accent colour and white label. A downgrade keeps the settings and stops applying them."""

import pytest

from branding.defaults import DEFAULT_ACCENT, DEFAULT_PRIMARY, DEFAULT_SECONDARY, PRODUCT_NAME
from branding.exceptions import BrandingRefused
from branding.selectors import branding_effective, branding_get
from branding.services import branding_update
from tests.branding.conftest import fresh, image_bytes, input_tag, on_plan, signed_in, upload
from tests.conftest import in_schema

EVERYTHING = {
    "commercial_name": "Panadería La Espiga",
    "primary_colour": "#7c3aed",
    "secondary_colour": "#1d4ed8",
    "accent_colour": "#e11d48",
    "white_label": True,
}


@pytest.fixture
def alpha(workspaces, db):
    return fresh(workspaces.alpha)


@pytest.fixture
def fully_branded(alpha):
    """alpha on Enterprise with every setting, then left there (tests move it down)."""
    enterprise = on_plan(alpha, "enterprise")
    branding_update(tenant=enterprise, logo=upload(image_bytes((800, 200))), **EVERYTHING)
    return enterprise


def test_enterprise_applies_everything(fully_branded):
    shown = branding_effective(tenant=fully_branded)

    assert shown.name == "Panadería La Espiga"
    assert (shown.primary, shown.secondary, shown.accent) == ("#7c3aed", "#1d4ed8", "#e11d48")
    assert shown.primary_contrast == "#ffffff"
    assert shown.logo_url and shown.favicon_url and shown.touch_icon_url
    assert shown.white_label and not shown.show_product
    assert shown.custom_accent


def test_profesional_applies_colours_and_favicon_but_not_accent_or_white_label(fully_branded):
    shown = branding_effective(tenant=on_plan(fully_branded, "profesional"))

    assert shown.name == "Panadería La Espiga"
    assert (shown.primary, shown.secondary) == ("#7c3aed", "#1d4ed8")
    assert shown.logo_url and shown.favicon_url
    assert shown.accent == DEFAULT_ACCENT and not shown.custom_accent
    assert not shown.white_label and shown.show_product


def test_basico_applies_name_and_logo_only(fully_branded):
    shown = branding_effective(tenant=on_plan(fully_branded, "basico"))

    assert shown.name == "Panadería La Espiga"
    assert shown.logo_url
    assert (shown.primary, shown.secondary, shown.accent) == (
        DEFAULT_PRIMARY,
        DEFAULT_SECONDARY,
        DEFAULT_ACCENT,
    )
    assert shown.favicon_url == ""
    assert not shown.white_label


def test_the_free_plan_shows_the_product_defaults_with_the_workspace_name(fully_branded):
    shown = branding_effective(tenant=on_plan(fully_branded, "free"))

    assert shown.name == fully_branded.name
    assert shown.logo_url == "" and shown.favicon_url == ""
    assert shown.primary == DEFAULT_PRIMARY
    assert shown.product_name == PRODUCT_NAME and shown.show_product


def test_a_downgrade_keeps_the_settings_and_an_upgrade_brings_them_back(fully_branded):
    on_plan(fully_branded, "basico")
    with in_schema(fully_branded):
        kept = branding_get()
    assert (kept.primary_colour, kept.accent_colour, kept.commercial_name) == (
        "#7c3aed",
        "#e11d48",
        "Panadería La Espiga",
    )
    assert kept.favicon_32  # the favicon drawn from the logo is kept too

    shown = branding_effective(tenant=on_plan(fully_branded, "enterprise"))

    assert (shown.primary, shown.accent, shown.white_label) == ("#7c3aed", "#e11d48", True)


def test_a_change_beyond_the_plan_is_refused_naming_the_plan_that_has_it(alpha):
    basico = on_plan(alpha, "basico")

    with pytest.raises(BrandingRefused) as refused:
        branding_update(tenant=basico, primary_colour="#7c3aed", accent_colour="#e11d48")

    errors = refused.value.errors
    assert "Profesional" in errors["primary_colour"][0].message
    assert "Enterprise" in errors["accent_colour"][0].message
    with in_schema(alpha):
        assert branding_get().primary_colour == ""


def test_resending_a_kept_setting_on_a_lower_plan_is_no_change(fully_branded):
    basico = on_plan(fully_branded, "basico")

    branding_update(tenant=basico, commercial_name="Nueva Espiga", primary_colour="#7c3aed")

    with in_schema(basico):
        assert branding_get().commercial_name == "Nueva Espiga"


def test_the_page_locks_what_the_plan_lacks_and_says_which_plan_has_it(client_for, alpha):
    on_plan(alpha, "basico")

    response = signed_in(client_for, alpha).get("/settings/branding/")

    assert response.status_code == 200
    text = response.text
    assert "disabled" in input_tag(text, "primary_colour")
    assert "disabled" in input_tag(text, "accent_colour")
    assert "disabled" not in input_tag(text, "logo")
    assert "disabled" not in input_tag(text, "commercial_name")
    assert "does not include your own colours; Profesional does" in text


def test_a_locked_field_posted_anyway_is_ignored_and_the_rest_saved(client_for, alpha):
    on_plan(alpha, "basico")

    response = signed_in(client_for, alpha).post(
        "/settings/branding/", {"commercial_name": "Espiga", "primary_colour": "#7c3aed"}
    )

    assert response.status_code == 302
    with in_schema(alpha):
        stored = branding_get()
    assert (stored.commercial_name, stored.primary_colour) == ("Espiga", "")


def test_free_plan_page_says_branding_is_not_included(client_for, alpha):
    on_plan(alpha, "free")

    response = signed_in(client_for, alpha).get("/settings/branding/")

    assert "Your plan does not include branding" in response.text
