"""One workspace's branding never shows on another's pages, files, JSON or emails; the emails
carry the sender's logo and colours, and nothing of the product in white label."""

import pytest
from django.db import connection
from django.template.loader import render_to_string

from branding.defaults import DEFAULT_PRIMARY, PRODUCT_NAME
from branding.selectors import branding_effective, email_branding
from branding.services import branding_update
from tests.branding.conftest import fresh, image_bytes, on_plan, signed_in, upload
from tests.conftest import host_of

ALPHA_NAME = "Panadería La Espiga"
ALPHA_PRIMARY = "#7c3aed"


@pytest.fixture
def alpha(workspaces, db):
    tenant = fresh(workspaces.alpha)
    branding_update(
        tenant=tenant,
        commercial_name=ALPHA_NAME,
        primary_colour=ALPHA_PRIMARY,
        logo=upload(image_bytes((800, 200))),
    )
    return tenant


@pytest.fixture
def beta(workspaces, db):
    return fresh(workspaces.beta)


def test_alphas_branding_never_shows_on_betas_pages(client_for, alpha, beta):
    logo = branding_effective(tenant=alpha).logo_url.rsplit("/", 1)[1]
    pages = [
        client_for(beta).get("/accounts/login/").text,
        signed_in(client_for, beta).get("/").text,
        signed_in(client_for, beta).get("/settings/branding/").text,
        client_for(beta).get("/branding.json").text,
    ]
    for text in pages:
        assert ALPHA_NAME not in text and "Espiga" not in text
        assert ALPHA_PRIMARY not in text
        assert logo not in text
    assert "Beta SRL" in pages[0]


def test_alphas_files_are_not_served_on_betas_host(client_for, alpha, beta):
    url = branding_effective(tenant=alpha).logo_url
    assert client_for(alpha).get(url).status_code == 200

    assert client_for(beta).get(url).status_code == 404
    # Nor under beta's own folder: the file is in alpha's.
    assert client_for(beta).get(url.replace("/workspaces/alpha/", "/workspaces/beta/")).status_code == 404


def test_emails_carry_the_senders_logo_and_colours_with_absolute_urls(alpha):
    connection.set_schema_to_public()  # as in a Celery task

    branding = email_branding(alpha)

    assert branding.name == ALPHA_NAME
    assert branding.primary == ALPHA_PRIMARY
    assert branding.logo_url.startswith(f"http://{host_of(alpha)}/media/workspaces/alpha/branding/logo-")
    html = render_to_string("branding/email/header.html", {"branding": branding})
    assert f"background:{ALPHA_PRIMARY}" in html and branding.logo_url in html
    footer = render_to_string("branding/email/footer.html", {"branding": branding})
    assert ALPHA_NAME in footer and PRODUCT_NAME in footer  # not white label on Profesional
    assert branding.from_email.startswith(PRODUCT_NAME)


def test_one_workspaces_email_branding_has_nothing_of_another(alpha, beta):
    branding = email_branding(beta)
    html = render_to_string("branding/email/header.html", {"branding": branding}) + render_to_string(
        "branding/email/footer.html", {"branding": branding}
    )

    assert branding.name == "Beta SRL" and branding.primary == DEFAULT_PRIMARY
    assert branding.logo_url == ""
    assert ALPHA_NAME not in html and ALPHA_PRIMARY not in html and "/workspaces/alpha/" not in html


def test_white_label_emails_and_pages_name_no_product(client_for, alpha):
    enterprise = on_plan(alpha, "enterprise")

    branding = email_branding(enterprise)
    footer = render_to_string("branding/email/footer.html", {"branding": branding})
    footer_text = render_to_string("branding/email/footer.txt", {"branding": branding})

    assert PRODUCT_NAME not in footer and PRODUCT_NAME not in footer_text
    assert ALPHA_NAME in footer
    assert PRODUCT_NAME not in branding.from_email and "no-reply@" in branding.from_email
    page = signed_in(client_for, enterprise).get("/settings/branding/")
    powered = render_to_string(
        "branding/_powered_by.html", {"branding": branding_effective(tenant=enterprise)}
    )
    assert powered.strip() == ""
    assert page.status_code == 200


def test_outside_white_label_the_footer_names_and_links_the_product(alpha):
    powered = render_to_string("branding/_powered_by.html", {"branding": branding_effective(tenant=alpha)})

    assert PRODUCT_NAME in powered and 'href="http' in powered


def test_the_public_site_keeps_the_products_brand(client_for, alpha):
    text = client_for(None).get("/").text

    assert ALPHA_NAME not in text
    assert "<title>Stockwise · " in text
