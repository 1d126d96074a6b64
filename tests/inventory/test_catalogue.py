"""Catalogue rules: barcodes, images, unique SKUs, nested categories and plan limits."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from inventory import validators
from inventory.exceptions import InvalidInput
from inventory.models import Location, Product
from inventory.selectors import category_tree, product_list
from inventory.services import (
    category_create,
    category_update,
    location_create,
    location_update,
    product_create,
    product_update,
    stock_receive,
)
from inventory.validators import gtin_check_digit, validate_barcode
from plans.exceptions import PlanLimitReached
from plans.models import Plan
from tenants.models import Tenant
from tests.inventory.factories import LocationFactory, ProductFactory


def on_free_plan():
    Tenant.objects.filter(schema_name="alpha").update(plan=Plan.objects.get(code="free"))


# --- Barcodes -----------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["7790387000122", "4006381333931", "036000291452", ""])
def test_valid_ean13_and_upca_barcodes_pass(code):
    validate_barcode(code)


@pytest.mark.parametrize(
    "code", ["7790387000123", "036000291453", "12345", "77903870001AB", "77903870001222"]
)
def test_wrong_barcodes_are_refused(code):
    with pytest.raises(ValidationError):
        validate_barcode(code)


@settings(max_examples=50, deadline=None, database=None)
@given(body=st.text(alphabet="0123456789", min_size=11, max_size=12), wrong=st.integers(1, 9))
def test_barcode_check_digit_property(body, wrong):
    right = gtin_check_digit(body)
    validate_barcode(body + str(right))
    with pytest.raises(ValidationError):
        validate_barcode(body + str((right + wrong) % 10))


def test_product_with_a_bad_barcode_is_not_created(alpha):
    with pytest.raises(ValidationError) as refused:
        product_create(sku="A-1", name="Yerba", sale_price=Decimal("10"), barcode="7790387000123")

    assert "barcode" in refused.value.message_dict
    assert not Product.objects.exists()


def test_sku_and_barcode_are_unique(alpha):
    product_create(sku="A-1", name="Yerba", sale_price=10, barcode="7790387000122")

    with pytest.raises(ValidationError) as same_sku:
        product_create(sku=" A-1 ", name="Otra", sale_price=10)
    with pytest.raises(ValidationError) as same_barcode:
        product_create(sku="A-2", name="Otra", sale_price=10, barcode="7790387000122")

    assert "sku" in same_sku.value.message_dict
    assert same_barcode.value.messages
    assert Product.objects.count() == 1


# --- Images --------------------------------------------------------------------------------------


def picture(size=(200, 200), image_format="PNG", name="foto.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, format=image_format)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{image_format.lower()}")


def test_product_image_is_stored_under_the_workspace(alpha, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    product = product_create(sku="IMG-1", name="Con foto", sale_price=10, image=picture(image_format="JPEG"))

    assert product.image.name.startswith("alpha/products/")
    assert (tmp_path / product.image.name).exists()


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (SimpleUploadedFile("x.png", b"not an image at all", content_type="image/png"), "image_type"),
        (lambda: picture(image_format="GIF", name="x.gif"), "image_type"),
        (lambda: picture(size=(20, 20)), "image_dimensions"),
        (lambda: picture(size=(5000, 100)), "image_dimensions"),
    ],
)
def test_bad_images_are_refused(alpha, settings, tmp_path, upload, code):
    settings.MEDIA_ROOT = tmp_path
    upload = upload() if callable(upload) else upload

    with pytest.raises(ValidationError) as refused:
        product_create(sku="IMG-2", name="Con foto", sale_price=10, image=upload)

    assert refused.value.error_dict["image"][0].code == code
    assert not Product.objects.exists()


def test_heavy_images_are_refused(alpha, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(validators, "PRODUCT_IMAGE_MAX_BYTES", 100)

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        product_create(sku="IMG-3", name="Pesada", sale_price=10, image=picture())

    assert refused.value.error_dict["image"][0].code == "image_too_heavy"


# --- Categories and search -------------------------------------------------------------------------


def test_categories_nest_and_cannot_contain_themselves(alpha):
    pantry = category_create(name="Almacén")
    drinks = category_create(name="Infusiones", parent=pantry)
    mate = category_create(name="Yerbas", parent=drinks)

    with pytest.raises(InvalidInput):
        category_update(category=pantry, parent=mate)
    with pytest.raises(ValidationError):
        category_create(name="Infusiones", parent=pantry)
    with pytest.raises(ValidationError):
        category_create(name="Almacén")

    assert [(node.path, node.depth) for node in category_tree()] == [
        ("Almacén", 0),
        ("Almacén › Infusiones", 1),
        ("Almacén › Infusiones › Yerbas", 2),
    ]
    in_mate = ProductFactory(category=mate, name="Yerba suave")
    ProductFactory(name="Otra cosa")
    assert list(product_list(category=pantry)) == [in_mate]
    assert list(product_list(search="suave")) == [in_mate]


def test_a_product_with_stock_keeps_holding_stock(stocked, store, owner):
    with pytest.raises(InvalidInput):
        product_update(product=stocked, tracks_stock=False)

    product_update(product=stocked, name="Yerba mate 1 kg", min_stock=Decimal("5"))
    stocked.refresh_from_db()
    assert (stocked.name, stocked.min_stock, stocked.tracks_stock) == ("Yerba mate 1 kg", Decimal("5"), True)


# --- Plan limits -------------------------------------------------------------------------------------


def test_products_plan_limit_names_the_limit_and_the_upgrade(alpha):
    on_free_plan()
    ProductFactory.create_batch(25)

    with translation.override("en"), pytest.raises(PlanLimitReached) as refused:
        product_create(sku="ONE-MORE", name="Uno más", sale_price=10)

    assert refused.value.message == "Your plan allows 25 products; upgrade to Básico for 100."
    assert Product.objects.count() == 25


def test_inactive_products_do_not_count_but_reactivating_does(alpha):
    on_free_plan()
    ProductFactory.create_batch(24)
    retired = ProductFactory(is_active=False)
    product_create(sku="LAST", name="El último", sale_price=10)

    with pytest.raises(PlanLimitReached):
        product_update(product=retired, is_active=True)

    retired.refresh_from_db()
    assert retired.is_active is False


def test_locations_plan_limit(alpha):
    on_free_plan()
    location_create(name="Local Centro")

    with translation.override("en"), pytest.raises(PlanLimitReached) as refused:
        location_create(name="Sucursal Norte", kind=Location.Kind.BRANCH)

    assert refused.value.message == "Your plan allows 1 locations; upgrade to Profesional for 2."
    assert Location.objects.count() == 1


def test_reactivating_a_location_counts_against_the_limit(alpha):
    on_free_plan()
    closed = LocationFactory(is_active=False)
    location_create(name="Local Centro")

    with pytest.raises(PlanLimitReached):
        location_update(location=closed, is_active=True)


def test_demo_style_creation_still_works(alpha, owner):
    # tenants.demo calls these with plain numbers and no user.
    location = location_create(name="Sede Palermo", kind=Location.Kind.BRANCH)
    product = product_create(sku="ZAP-DAN", name="Zapatos", sale_price=52000, cost=31000, tracks_stock=True)
    stock_receive(product=product, location=location, quantity=2, user=owner)

    assert product.sale_price == Decimal("52000")
