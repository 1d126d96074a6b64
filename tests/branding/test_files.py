"""Logos and favicons: judged by content, re-encoded, resized, stored per workspace with
cache-busting names and served with the right type; every hostile file is refused with a clear
message and the previous logo stays."""

import io
import struct

import pytest
from PIL import Image, PngImagePlugin

from branding.exceptions import BrandingRefused
from branding.models import Branding
from branding.selectors import branding_effective, branding_get
from branding.services import branding_update
from branding.storage import file_open
from tests.branding.conftest import (
    SCRIPT_AS_PNG,
    SVG_WITH_SCRIPT,
    corrupt_png,
    decompression_bomb_png,
    fresh,
    image_bytes,
    signed_in,
    truncated_jpeg,
    upload,
)
from tests.conftest import in_schema


def stored_image(tenant, file_name) -> Image.Image:
    with in_schema(tenant), file_open(file_name) as stored:
        image = Image.open(io.BytesIO(stored.read()))
        image.load()
        return image


def stored_row(tenant) -> Branding:
    with in_schema(tenant):
        return branding_get()


@pytest.fixture
def alpha(workspaces, db):
    return fresh(workspaces.alpha)


@pytest.fixture
def alpha_with_logo(alpha):
    """alpha (Profesional) with a first logo, stored through the service."""
    branding_update(tenant=alpha, logo=upload(image_bytes((1200, 300), colour=(20, 20, 200, 255))))
    return alpha


# --- good files -------------------------------------------------------------------------------


def test_a_logo_is_re_encoded_as_png_and_fitted_to_400x100_and_2x(alpha):
    branding_update(tenant=alpha, logo=upload(image_bytes((1600, 400))))

    row = stored_row(alpha)
    assert row.logo.startswith("logo-") and row.logo.endswith(".png")
    logo, logo_2x = stored_image(alpha, row.logo), stored_image(alpha, row.logo_2x)
    assert (logo.format, logo.size) == ("PNG", (400, 100))
    assert (logo_2x.format, logo_2x.size) == ("PNG", (800, 200))
    assert logo.mode == "RGBA"  # transparency kept


def test_proportions_are_kept_and_small_logos_are_not_enlarged(alpha):
    branding_update(tenant=alpha, logo=upload(image_bytes((300, 300))))

    row = stored_row(alpha)
    assert stored_image(alpha, row.logo).size == (100, 100)
    assert stored_image(alpha, row.logo_2x).size == (200, 200)


def test_the_favicon_is_drawn_from_the_logo_when_none_is_uploaded(alpha):
    branding_update(tenant=alpha, logo=upload(image_bytes((800, 200))))

    row = stored_row(alpha)
    assert not row.favicon_uploaded
    assert stored_image(alpha, row.favicon_32).size == (32, 32)
    touch = stored_image(alpha, row.favicon_180)
    assert touch.size == (180, 180) and touch.mode == "RGB"  # opaque for home screens


def test_an_uploaded_favicon_wins_and_survives_a_new_logo(alpha):
    branding_update(tenant=alpha, logo=upload(image_bytes((800, 200))))
    branding_update(tenant=alpha, favicon=upload(image_bytes((64, 64), colour=(0, 200, 0, 255))))
    favicon = stored_row(alpha).favicon_32

    branding_update(tenant=alpha, logo=upload(image_bytes((800, 200), colour=(1, 2, 3, 255))))

    row = stored_row(alpha)
    assert row.favicon_uploaded and row.favicon_32 == favicon
    assert stored_image(alpha, favicon).getpixel((16, 16)) == (0, 200, 0, 255)


def test_removing_the_uploaded_favicon_draws_it_from_the_stored_logo_again(alpha):
    branding_update(tenant=alpha, logo=upload(image_bytes((800, 200))))
    drawn = stored_row(alpha).favicon_32
    branding_update(tenant=alpha, favicon=upload(image_bytes((64, 64), colour=(0, 200, 0, 255))))

    branding_update(tenant=alpha, remove_favicon=True)

    row = stored_row(alpha)
    assert not row.favicon_uploaded
    assert row.favicon_32 == drawn  # the same pixels again (the logo was already 800×200)


@pytest.mark.parametrize(
    ("content", "name", "content_type"),
    [
        (image_bytes((500, 100), format="JPEG", mode="RGB", colour=(10, 20, 30)), "logo.png", "image/png"),
        (image_bytes((500, 100), format="WEBP", mode="RGBA"), "brand.bin", "application/octet-stream"),
        (image_bytes((500, 100), format="PNG", mode="P"), "logo", ""),
    ],
    ids=["jpeg-named-png", "webp-any-name", "palette-png-no-extension"],
)
def test_files_are_judged_by_content_not_by_name_or_declared_type(alpha, content, name, content_type):
    branding_update(tenant=alpha, logo=upload(content, name, content_type))

    assert stored_image(alpha, stored_row(alpha).logo).format == "PNG"


def test_nothing_but_the_pixels_travels_to_the_stored_file(alpha):
    # A valid PNG carrying a script in a text chunk and after its end (a polyglot).
    image = Image.new("RGBA", (400, 100), (255, 0, 0, 255))
    buffer = io.BytesIO()
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<script>alert(1)</script>")
    image.save(buffer, format="PNG", pnginfo=info)
    polyglot = buffer.getvalue() + b"<script>alert(2)</script>"

    branding_update(tenant=alpha, logo=upload(polyglot))

    with in_schema(alpha), file_open(stored_row(alpha).logo) as stored:
        content = stored.read()
    assert b"script" not in content
    assert content.endswith(b"IEND\xaeB`\x82")


def test_a_new_logo_gets_a_new_name_and_the_old_files_go_after_the_commit(
    alpha_with_logo, django_capture_on_commit_callbacks
):
    before = stored_row(alpha_with_logo)

    with django_capture_on_commit_callbacks(execute=True):
        branding_update(tenant=alpha_with_logo, logo=upload(image_bytes((800, 200), colour=(9, 9, 9, 255))))

    after = stored_row(alpha_with_logo)
    assert after.logo != before.logo and after.logo_2x != before.logo_2x
    with in_schema(alpha_with_logo):
        for name in (before.logo, before.logo_2x, before.favicon_32, before.favicon_180):
            with pytest.raises(FileNotFoundError):
                file_open(name)


def test_the_same_logo_again_keeps_its_name(alpha):
    content = image_bytes((800, 200))
    branding_update(tenant=alpha, logo=upload(content))
    first = stored_row(alpha).logo

    branding_update(tenant=alpha, logo=upload(content))

    assert stored_row(alpha).logo == first


# --- served -----------------------------------------------------------------------------------


def test_logo_is_served_on_the_workspace_host_as_png_with_long_caching(client_for, alpha_with_logo):
    url = branding_effective(tenant=alpha_with_logo).logo_url
    assert url.startswith(f"/media/workspaces/{alpha_with_logo.schema_name}/branding/logo-")

    response = client_for(alpha_with_logo).get(url)  # no sign-in: the sign-in page shows it

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "immutable" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


@pytest.mark.parametrize(
    "path",
    [
        "/media/workspaces/{schema}/branding/logo-0000000000000000.png",  # no such file
        "/media/workspaces/{schema}/branding/..%2f..%2fsettings.py",
        "/media/workspaces/{schema}/branding/notes.txt",
        "/media/workspaces/{schema}/../{schema}/branding/x.png",
    ],
)
def test_only_existing_branding_files_are_served(client_for, alpha_with_logo, path):
    response = client_for(alpha_with_logo).get(path.format(schema=alpha_with_logo.schema_name))

    assert response.status_code == 404


# --- hostile files, through the page ---------------------------------------------------------

HOSTILE = {
    "script-renamed-png": (SCRIPT_AS_PNG, "logo.png", "not a PNG, JPEG or WebP image"),
    "svg-with-script": (SVG_WITH_SCRIPT, "logo.svg", "SVG images are not accepted"),
    "svg-renamed-png": (SVG_WITH_SCRIPT, "logo.png", "SVG images are not accepted"),
    "twenty-megabytes": (
        image_bytes((10, 10)) + b"\x00" * (20 * 1024 * 1024),
        "big.png",
        "weighs more than 2",
    ),
    "decompression-bomb": (decompression_bomb_png(), "tiny.png", "megapixels"),
    "corrupt-png": (corrupt_png(), "logo.png", "damaged or incomplete"),
    "truncated-jpeg": (truncated_jpeg(), "logo.jpg", "damaged or incomplete"),
    "gif": (image_bytes((100, 100), format="GIF", mode="P"), "logo.gif", "not a PNG, JPEG or WebP image"),
    "empty": (b"", "logo.png", "file is empty"),
}


def test_the_bomb_is_tiny_but_claims_30000_by_30000_pixels():
    bomb = HOSTILE["decompression-bomb"][0]
    assert len(bomb) < 200 * 1024
    assert struct.unpack(">II", bomb[16:24]) == (30000, 30000)  # IHDR's width and height
    with pytest.raises(Image.DecompressionBombError):  # Pillow alone would refuse it too
        Image.open(io.BytesIO(bomb))


@pytest.mark.parametrize("case", HOSTILE.keys())
def test_hostile_logo_is_refused_with_a_clear_message_and_the_previous_logo_stays(
    client_for, alpha_with_logo, case
):
    content, name, expected = HOSTILE[case]
    before = stored_row(alpha_with_logo)
    client = signed_in(client_for, alpha_with_logo)

    response = client.post(
        "/settings/branding/",
        {"logo": upload(content, name), "commercial_name": "Panadería Alpha", "primary_colour": "#7c3aed"},
    )

    assert response.status_code == 200
    assert expected in response.text
    assert 'data-field="logo"' in response.text  # next to the logo field
    after = stored_row(alpha_with_logo)
    assert (after.logo, after.logo_2x, after.favicon_32) == (before.logo, before.logo_2x, before.favicon_32)
    assert after.commercial_name == before.commercial_name  # nothing of the change was applied
    assert client.get(branding_effective(tenant=alpha_with_logo).logo_url).status_code == 200


@pytest.mark.parametrize("case", ["script-renamed-png", "decompression-bomb", "corrupt-png"])
def test_hostile_favicon_is_refused_too(client_for, alpha_with_logo, case):
    content, name, expected = HOSTILE[case]
    before = stored_row(alpha_with_logo)

    response = signed_in(client_for, alpha_with_logo).post(
        "/settings/branding/", {"favicon": upload(content, name)}
    )

    assert expected in response.text
    assert 'data-field="favicon"' in response.text
    assert stored_row(alpha_with_logo).favicon_32 == before.favicon_32


def test_the_size_limit_stops_reading_the_upload(client_for, alpha_with_logo, monkeypatch):
    """Past 2 MB the file is skipped while it arrives: no 20 MB file reaches the form."""
    seen = []
    original = branding_update

    def spy(**kwargs):
        seen.append(kwargs.get("logo"))
        return original(**kwargs)

    monkeypatch.setattr("branding.views.branding_update", spy)
    content = HOSTILE["twenty-megabytes"][0]

    response = signed_in(client_for, alpha_with_logo).post("/settings/branding/", {"logo": upload(content)})

    assert "weighs more than 2" in response.text
    assert seen == []  # refused by the form, before the service


def test_hostile_file_through_the_service_raises_and_changes_nothing(alpha_with_logo):
    before = stored_row(alpha_with_logo)
    with pytest.raises(BrandingRefused) as refused:
        branding_update(
            tenant=alpha_with_logo, logo=upload(decompression_bomb_png()), primary_colour="#123456"
        )

    assert refused.value.errors["logo"][0].code == "image_too_many_pixels"
    after = stored_row(alpha_with_logo)
    assert (after.logo, after.primary_colour) == (before.logo, before.primary_colour)


def test_an_image_over_the_pixel_limit_is_refused_with_its_size(alpha):
    # 5000×5000 stays under Pillow's own alarm; the logo limit (4096², 16.7 megapixels) catches it.
    with pytest.raises(BrandingRefused) as refused:
        branding_update(tenant=alpha, logo=upload(decompression_bomb_png(5000, 5000)))

    error = refused.value.errors["logo"][0]
    assert error.code == "image_too_many_pixels"
    assert "5000×5000" in error.message and "16.7" in error.message
