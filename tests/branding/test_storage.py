"""Where the files go: one folder per workspace with django-tenants' storage (local), and keys
carrying the schema with any other backend (an S3-compatible store in production)."""

import pytest

from branding.selectors import branding_effective, branding_get
from branding.services import branding_update
from tests.branding.conftest import fresh, image_bytes, upload
from tests.conftest import in_schema


@pytest.fixture
def alpha(workspaces, db):
    return fresh(workspaces.alpha)


def test_locally_each_workspace_has_its_own_folder(alpha, media_root):
    branding_update(tenant=alpha, logo=upload(image_bytes((800, 200))))

    with in_schema(alpha):
        row = branding_get()
    folder = media_root / "workspaces" / alpha.schema_name / "branding"
    assert sorted(path.name for path in folder.iterdir()) == sorted(row.file_names())


def test_another_backend_gets_keys_that_carry_the_schema(client_for, workspaces, alpha, media_root, settings):
    # A backend that knows nothing of tenants, as django-storages' S3Storage.
    settings.BRANDING_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(media_root / "bucket"), "base_url": "https://cdn.example.com/"},
    }

    branding_update(tenant=alpha, logo=upload(image_bytes((800, 200))))

    with in_schema(alpha):
        row = branding_get()
    assert (media_root / "bucket" / "workspaces" / alpha.schema_name / "branding" / row.logo).exists()
    shown = branding_effective(tenant=alpha)
    assert shown.logo_url == f"https://cdn.example.com/workspaces/{alpha.schema_name}/branding/{row.logo}"
    data = client_for(alpha).get("/branding.json").json()
    assert data["logo_url"] == shown.logo_url  # already absolute: kept as the store gives it
