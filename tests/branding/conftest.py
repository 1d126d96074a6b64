"""Fixtures of the branding tests: a media folder per test, plans, members, and image files
(good ones and hostile ones) made on the spot."""

import io
import itertools
import re
import struct
import zlib
from random import Random

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.models import User
from accounts.services import user_create
from plans.models import Plan
from tenants.models import Tenant
from tests.conftest import PASSWORD, in_schema

_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Every test stores its files in its own folder (the storage follows the setting)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def on_plan(tenant: Tenant, code: str) -> Tenant:
    """``tenant`` moved to the plan ``code`` (inside the test's transaction), fresh from the database."""
    Tenant.objects.filter(pk=tenant.pk).update(plan=Plan.objects.get(code=code))
    return Tenant.objects.select_related("plan").get(pk=tenant.pk)


def fresh(tenant: Tenant) -> Tenant:
    return Tenant.objects.select_related("plan").get(pk=tenant.pk)


def member(tenant: Tenant, role=User.Role.STAFF) -> User:
    with in_schema(tenant):
        return user_create(email=f"{role}-{next(_numbers)}@{tenant.slug}.test", password=PASSWORD, role=role)


def owner_of(tenant: Tenant) -> User:
    with in_schema(tenant):
        return User.objects.get(email=f"owner@{tenant.slug}.test")


def signed_in(client_for, tenant: Tenant, user: User | None = None):
    """A client of ``tenant``'s host, signed in (as its owner by default), reading English."""
    user = user or owner_of(tenant)
    client = client_for(tenant)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    return client


def input_tag(html: str, name: str) -> str:
    """The <input> tag named ``name`` in ``html``."""
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert match, f"no input named {name}"
    return match.group(0)


# --- files --------------------------------------------------------------------------------------


def image_bytes(size=(600, 150), *, format="PNG", mode="RGBA", colour=(200, 30, 60, 255), **params) -> bytes:
    image = Image.new(mode, size, colour[: len(mode)] if mode != "P" else 1)
    buffer = io.BytesIO()
    image.save(buffer, format=format, **params)
    return buffer.getvalue()


def upload(content: bytes, name="logo.png", content_type="image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def decompression_bomb_png(width=30000, height=30000) -> bytes:
    """A real bomb: a 1-bit greyscale PNG of width×height zero pixels, compressed to ~100 KB."""
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte + packed pixels
    compressor = zlib.compressobj(9)
    parts = [compressor.compress(row) for _ in range(height)]
    parts.append(compressor.flush())
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", b"".join(parts))
        + _chunk(b"IEND", b"")
    )


def corrupt_png() -> bytes:
    """A PNG whose pixel data was damaged (one byte flipped in the compressed stream)."""
    good = bytearray(image_bytes((300, 80), mode="RGB", colour=(10, 120, 200)))
    index = good.index(b"IDAT") + 20
    good[index] ^= 0xFF
    return bytes(good)


def truncated_jpeg() -> bytes:
    noise = Random(4).randbytes(400 * 200 * 3)
    image = Image.frombytes("RGB", (400, 200), noise)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90)
    data = buffer.getvalue()
    return data[: len(data) // 2]


SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="400" height="100">'
    b"<script>alert(document.cookie)</script><rect width='400' height='100' fill='red'/></svg>"
)
SCRIPT_AS_PNG = b"<script>fetch('/settings/branding/reset/', {method: 'POST'})</script>\n"
