"""The branding page and what it changes across the workspace: header colours, buttons, links,
the sign-in page, page titles, the favicon; who may use it; and /branding.json."""

import re

import pytest
from django.test import Client

from accounts.models import User
from audit.models import AuditEvent
from branding.selectors import branding_effective, branding_get
from branding.services import branding_update
from tests.branding.conftest import fresh, image_bytes, member, on_plan, signed_in, upload
from tests.conftest import PASSWORD, host_of, in_schema


@pytest.fixture
def alpha(workspaces, db):
    return fresh(workspaces.alpha)


def brand_vars(html: str) -> dict:
    block = re.search(r"<style data-brand-vars>:root \{(.*?)\}</style>", html)
    assert block, "the layout's brand variables are missing"
    return dict(
        (name.strip(), value.strip())
        for name, value in (pair.split(":") for pair in block.group(1).split(";") if pair.strip())
    )


def title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


# --- saving, and the workspace afterwards -----------------------------------------------------


def test_owner_saves_name_colours_and_logo_and_every_page_shows_them(client_for, alpha):
    client = signed_in(client_for, alpha)

    response = client.post(
        "/settings/branding/",
        {
            "commercial_name": "Panadería La Espiga",
            "primary_colour": "#FFD700",
            "secondary_colour": "#1d4ed8",
            "logo": upload(image_bytes((800, 200))),
        },
    )

    assert response.status_code == 302
    page = client.get("/settings/branding/")
    assert "Branding saved." in page.text
    variables = brand_vars(page.text)
    assert variables["--brand-primary"] == "#ffd700"
    assert variables["--brand-primary-contrast"] == "#111111"  # white on gold would fail AA
    assert variables["--brand-secondary"] == "#1d4ed8"
    assert title(page.text).startswith("Panadería La Espiga · ")
    shown = branding_effective(tenant=alpha)
    assert f'<link rel="icon" type="image/png" sizes="32x32" href="{shown.favicon_url}">' in page.text
    assert f'src="{shown.logo_url}"' in page.text and f"{shown.logo_2x_url} 2x" in page.text

    sign_in_page = client_for(alpha).get("/accounts/login/")  # someone signed out
    assert brand_vars(sign_in_page.text)["--brand-primary"] == "#ffd700"
    assert title(sign_in_page.text).startswith("Panadería La Espiga · ")
    assert f'src="{shown.logo_url}"' in sign_in_page.text


def test_a_refused_secondary_colour_shows_the_reason_and_nothing_is_saved(client_for, alpha):
    client = signed_in(client_for, alpha)

    response = client.post(
        "/settings/branding/",
        {"commercial_name": "Espiga", "primary_colour": "#7c3aed", "secondary_colour": "#ffd700"},
    )

    assert response.status_code == 200
    assert 'data-field="secondary_colour"' in response.text
    assert "reaches only 1.34:1 against the page background" in response.text
    with in_schema(alpha):
        stored = branding_get()
    assert (stored.commercial_name, stored.primary_colour, stored.secondary_colour) == ("", "", "")


def test_a_malformed_colour_is_refused_next_to_its_field(client_for, alpha):
    response = signed_in(client_for, alpha).post("/settings/branding/", {"primary_colour": "purple"})

    assert 'data-field="primary_colour"' in response.text
    assert "six hexadecimal digits" in response.text


def test_saving_is_written_to_the_audit_log(client_for, alpha):
    signed_in(client_for, alpha).post("/settings/branding/", {"primary_colour": "#7c3aed"})

    with in_schema(alpha):
        event = AuditEvent.objects.filter(action=AuditEvent.Action.SETTINGS_CHANGED).latest("id")
    assert event.target == "branding"
    assert event.data == {"branding": "updated", "changed": ["primary_colour"]}
    assert event.actor_email == "owner@alpha.test"


def test_reset_returns_to_the_defaults_and_removes_the_files(
    client_for, alpha, django_capture_on_commit_callbacks
):
    branding_update(
        tenant=alpha, commercial_name="Espiga", primary_colour="#7c3aed", logo=upload(image_bytes())
    )
    logo_url = branding_effective(tenant=alpha).logo_url
    client = signed_in(client_for, alpha)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/settings/branding/reset/")

    assert response.status_code == 302
    page = client.get("/")
    assert brand_vars(page.text)["--brand-primary"] == "#0f766e"
    assert title(page.text).startswith("Alpha SRL · ")
    assert client.get(logo_url).status_code == 404


def test_the_page_has_the_live_preview_and_its_script(client_for, alpha):
    text = signed_in(client_for, alpha).get("/settings/branding/").text

    for part in ("preview-header", "preview-button", "preview-signin"):
        assert f'data-testid="{part}"' in text
    assert "branding/preview.js" in text
    assert 'enctype="multipart/form-data"' in text


# --- who may -------------------------------------------------------------------------------------


def test_an_admin_may_change_the_branding(client_for, alpha):
    client = signed_in(client_for, alpha, member(alpha, User.Role.ADMIN))

    assert client.get("/settings/branding/").status_code == 200
    assert client.post("/settings/branding/", {"primary_colour": "#7c3aed"}).status_code == 302
    with in_schema(alpha):
        assert branding_get().primary_colour == "#7c3aed"


def test_staff_may_neither_see_nor_change_the_branding(client_for, alpha):
    branding_update(tenant=alpha, commercial_name="Espiga")
    client = signed_in(client_for, alpha, member(alpha, User.Role.STAFF))

    assert client.get("/settings/branding/").status_code == 403
    assert client.post("/settings/branding/", {"commercial_name": "Hijacked"}).status_code == 403
    assert client.post("/settings/branding/reset/").status_code == 403
    with in_schema(alpha):
        assert branding_get().commercial_name == "Espiga"


def test_signed_out_visitors_are_sent_to_sign_in(client_for, alpha):
    response = client_for(alpha).get("/settings/branding/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_form_needs_its_csrf_token(workspaces, alpha):
    client = Client(HTTP_HOST=host_of(alpha), enforce_csrf_checks=True)
    client.get("/accounts/login/")
    signed = client.post(
        "/accounts/login/",
        {
            "login": "owner@alpha.test",
            "password": PASSWORD,
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
        },
    )
    assert signed.status_code == 302

    response = client.post("/settings/branding/", {"primary_colour": "#7c3aed"})

    assert response.status_code == 403
    with in_schema(alpha):
        assert branding_get().primary_colour == ""


# --- /branding.json ----------------------------------------------------------------------------


def test_branding_json_is_public_and_holds_what_the_plan_applies(client_for, alpha):
    branding_update(
        tenant=alpha, commercial_name="Espiga", primary_colour="#7c3aed", logo=upload(image_bytes((800, 200)))
    )

    response = client_for(alpha).get("/branding.json")  # no sign-in

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    data = response.json()
    assert data["name"] == "Espiga"
    assert data["colours"]["primary"] == "#7c3aed"
    assert data["colours"]["primary_contrast"] == "#ffffff"
    assert data["white_label"] is False
    for key in ("logo_url", "logo_2x_url", "favicon_url", "touch_icon_url"):
        assert data[key].startswith(f"http://{host_of(alpha)}/media/workspaces/alpha/branding/")
    assert client_for(alpha).get(data["logo_url"].split(host_of(alpha))[1]).status_code == 200


def test_branding_json_after_a_downgrade_drops_the_colours(client_for, alpha):
    branding_update(tenant=alpha, commercial_name="Espiga", primary_colour="#7c3aed")
    on_plan(alpha, "basico")

    data = client_for(alpha).get("/branding.json").json()

    assert data["name"] == "Espiga"
    assert data["colours"]["primary"] == "#0f766e"
    assert data["favicon_url"] is None


def test_branding_json_is_not_on_the_public_site(client_for):
    assert client_for(None).get("/branding.json").status_code == 404


@pytest.mark.parametrize(
    ("role", "expected"), [(User.Role.OWNER, True), (User.Role.ADMIN, True), (User.Role.STAFF, False)]
)
def test_templates_know_who_may_open_the_branding_page(client_for, alpha, role, expected):
    user = None if role == User.Role.OWNER else member(alpha, role)

    response = signed_in(client_for, alpha, user).get("/")

    assert bool(response.context["can_manage_branding"]) is expected
