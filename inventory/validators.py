"""Field validators of the catalogue: barcodes (GTIN check digit) and product images."""

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

# EAN-13 (13 digits) and UPC-A (12 digits) share the GTIN check-digit rule.
BARCODE_LENGTHS = (12, 13)

PRODUCT_IMAGE_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP"}
PRODUCT_IMAGE_MAX_BYTES = 5 * 1024 * 1024
PRODUCT_IMAGE_MIN_SIDE = 50
PRODUCT_IMAGE_MAX_SIDE = 4096


def gtin_check_digit(digits: str) -> int:
    """The check digit of a GTIN body (all digits but the last).

    From the right, the body's digits weigh 3, 1, 3, 1...; the check digit brings the weighted sum
    up to a multiple of ten.
    """
    total = sum(
        int(digit) * (3 if position % 2 == 0 else 1) for position, digit in enumerate(reversed(digits))
    )
    return (10 - total % 10) % 10


def validate_barcode(value: str) -> None:
    """An EAN-13 or UPC-A code with a correct check digit (empty means no barcode)."""
    if not value:
        return
    if not value.isdigit() or len(value) not in BARCODE_LENGTHS:
        raise ValidationError(
            _("Enter an EAN-13 (13 digits) or UPC-A (12 digits) barcode."), code="barcode_format"
        )
    if gtin_check_digit(value[:-1]) != int(value[-1]):
        raise ValidationError(
            _("The barcode's check digit is wrong; please check the number."), code="barcode_check_digit"
        )


def validate_product_image(file) -> None:
    """A JPEG, PNG or WebP picture of reasonable weight and size.

    The content is read with Pillow (the extension and the browser's content type are not trusted).
    """
    if file is None or not getattr(file, "name", None):
        return
    if getattr(file, "_committed", False):
        return  # already stored: it was checked when it was uploaded
    size = getattr(file, "size", None)
    if size is not None and size > PRODUCT_IMAGE_MAX_BYTES:
        raise ValidationError(
            _("The image weighs %(size)s; the most allowed is %(max)s.")
            % {"size": filesizeformat(size), "max": filesizeformat(PRODUCT_IMAGE_MAX_BYTES)},
            code="image_too_heavy",
        )
    position = file.tell() if hasattr(file, "tell") else None
    try:
        file.seek(0)
        with Image.open(file) as image:
            image_format = image.format
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(_("Upload a JPEG, PNG or WebP image."), code="image_type") from error
    finally:
        if position is not None:
            file.seek(position)
    if image_format not in PRODUCT_IMAGE_FORMATS:
        raise ValidationError(_("Upload a JPEG, PNG or WebP image."), code="image_type")
    if min(width, height) < PRODUCT_IMAGE_MIN_SIDE or max(width, height) > PRODUCT_IMAGE_MAX_SIDE:
        raise ValidationError(
            _("The image is %(width)s×%(height)s pixels; each side must be between %(min)s and %(max)s.")
            % {
                "width": width,
                "height": height,
                "min": PRODUCT_IMAGE_MIN_SIDE,
                "max": PRODUCT_IMAGE_MAX_SIDE,
            },
            code="image_dimensions",
        )
