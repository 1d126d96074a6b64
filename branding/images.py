"""Uploaded logos and favicons: judged by their content, decoded within limits, re-encoded.

Nothing the user sends is stored as sent. A file is accepted only when Pillow, restricted to the
PNG, JPEG and WebP decoders, decodes it completely within the weight and pixel limits; what is
stored are new PNG files drawn from the decoded pixels (no metadata, no trailing bytes, no
polyglots). SVG is refused outright: it is a document that can carry scripts.
"""

import io
import struct
import zlib
from dataclasses import dataclass

from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from branding.exceptions import ImageRefused

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
# A logo needs few pixels; this bounds the memory a decode may take (about 64 MB as RGBA) and
# refuses decompression bombs (a small file declaring a huge canvas) before any pixel is decoded.
MAX_PIXELS = 4096 * 4096
MAX_SIDE = 8192
DECODERS = ("PNG", "JPEG", "WEBP")
LOGO_BOX = (400, 100)
LOGO_BOX_2X = (800, 200)
FAVICON_SIDE = 32
TOUCH_ICON_SIDE = 180
# What a damaged file makes the decoders raise.
DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error, zlib.error)


@dataclass(frozen=True)
class Rendition:
    """One file to store: ``kind`` names its use (logo, logo_2x, favicon_32, favicon_180)."""

    kind: str
    content: bytes
    width: int
    height: int
    extension: str = "png"
    content_type: str = "image/png"


def _accepted_types() -> str:
    return _("Upload a PNG, JPEG or WebP image.")


def read_upload(upload) -> bytes:
    """The upload's bytes, refused past MAX_UPLOAD_BYTES without reading more than that."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise _too_heavy(size)
    upload.seek(0)
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise _too_heavy(None)
    if not data:
        raise ImageRefused(_("The file is empty.") + " " + _accepted_types(), code="image_empty")
    return data


def _too_heavy(size: int | None) -> ImageRefused:
    limit = filesizeformat(MAX_UPLOAD_BYTES)
    if size is None:
        message = _("The file weighs more than %(max)s, the most allowed.") % {"max": limit}
    else:
        message = _("The file weighs %(size)s; the most allowed is %(max)s.") % {
            "size": filesizeformat(size),
            "max": limit,
        }
    return ImageRefused(message, code="image_too_heavy")


def _looks_like_svg(data: bytes) -> bool:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<") and b"<svg" in head


def _too_many_pixels(width: int | None = None, height: int | None = None) -> ImageRefused:
    limit = number_format(MAX_PIXELS / 1_000_000, 1)
    if width is None:
        message = _(
            "The image declares far more pixels than it could hold (a decompression bomb); "
            "the most allowed is %(max)s megapixels."
        ) % {"max": limit}
    else:
        message = _("The image is %(width)s×%(height)s pixels; the most allowed is %(max)s megapixels.") % {
            "width": width,
            "height": height,
            "max": limit,
        }
    return ImageRefused(message, code="image_too_many_pixels")


def decode(data: bytes) -> Image.Image:
    """The first frame of a PNG, JPEG or WebP, fully decoded, upright, in RGB or RGBA.

    The declared size is checked before any pixel is decoded; then the whole file is verified
    and decoded, so a truncated or damaged file is refused here and not half-shown later.
    """
    if _looks_like_svg(data):
        raise ImageRefused(
            _("SVG images are not accepted: they can carry scripts.") + " " + _accepted_types(),
            code="image_svg",
        )
    try:
        # Pillow raises past twice its own limit (and only warns below that); MAX_PIXELS is far
        # lower, so this check refuses the rest before decoding.
        with Image.open(io.BytesIO(data), formats=DECODERS) as probe:
            width, height = probe.size
            if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
                raise _too_many_pixels(width, height)
            probe.verify()
        image = Image.open(io.BytesIO(data), formats=DECODERS)
        image.load()
    except Image.DecompressionBombError as error:
        raise _too_many_pixels() from error
    except UnidentifiedImageError as error:
        raise ImageRefused(
            _("This file is not a PNG, JPEG or WebP image (whatever its name says).")
            + " "
            + _accepted_types(),
            code="image_type",
        ) from error
    except DECODE_ERRORS as error:
        raise ImageRefused(
            _("The image is damaged or incomplete. Export it again and upload the new file."),
            code="image_damaged",
        ) from error
    if min(width, height) < 1:
        raise ImageRefused(_("The image has no pixels."), code="image_damaged")
    try:
        upright = ImageOps.exif_transpose(image)
    except DECODE_ERRORS + (KeyError, TypeError):
        upright = image  # unreadable orientation data: keep the pixels as they are
    has_alpha = upright.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in upright.info
    try:
        converted = upright.convert("RGBA" if has_alpha else "RGB")
    except DECODE_ERRORS as error:
        raise ImageRefused(
            _("This image's colour format is not supported; save it as an ordinary PNG or JPEG."),
            code="image_mode",
        ) from error
    converted.info = {}  # no metadata travels to the stored files
    return converted


def _png(image: Image.Image, kind: str) -> Rendition:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return Rendition(kind=kind, content=buffer.getvalue(), width=image.width, height=image.height)


def _fit(image: Image.Image, box: tuple[int, int]) -> Image.Image:
    """``image`` scaled down (never up) to fit ``box``, proportions kept."""
    fitted = image.copy()
    fitted.thumbnail(box, Image.Resampling.LANCZOS, reducing_gap=3.0)
    return fitted


def _trimmed(image: Image.Image) -> Image.Image:
    """``image`` without its fully transparent margins (the mark fills more of a tiny icon)."""
    if image.mode != "RGBA":
        return image
    box = image.getchannel("A").getbbox()
    return image.crop(box) if box else image


def _square(image: Image.Image, side: int, *, background: tuple | None) -> Image.Image:
    fitted = ImageOps.contain(_trimmed(image), (side, side), Image.Resampling.LANCZOS)
    canvas = Image.new("RGBA", (side, side), background or (0, 0, 0, 0))
    offset = ((side - fitted.width) // 2, (side - fitted.height) // 2)
    canvas.paste(fitted, offset, fitted if fitted.mode == "RGBA" else None)
    # Home-screen icons are shown on an opaque square: iOS would turn transparency black.
    return canvas.convert("RGB") if background else canvas


def favicon_renditions(image: Image.Image) -> list[Rendition]:
    """The tab icon (32×32, transparent margins) and the home-screen icon (180×180, white)."""
    return [
        _png(_square(image, FAVICON_SIDE, background=None), "favicon_32"),
        _png(_square(image, TOUCH_ICON_SIDE, background=(255, 255, 255, 255)), "favicon_180"),
    ]


def logo_renditions(image: Image.Image) -> list[Rendition]:
    """The logo fitted to 400×100 and to 800×200 (for 2× screens)."""
    return [_png(_fit(image, LOGO_BOX), "logo"), _png(_fit(image, LOGO_BOX_2X), "logo_2x")]


def image_from_upload(upload) -> Image.Image:
    """Read and decode an uploaded file, or ImageRefused with the reason for people."""
    return decode(read_upload(upload))
