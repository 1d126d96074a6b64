"""Where branding files live: one folder (or key prefix) per workspace, content-hashed names.

``settings.BRANDING_STORAGE`` names the backend. Locally it is django-tenants'
TenantFileSystemStorage, which puts each schema under MEDIA_ROOT/workspaces/<schema>/; any other
backend (an S3-compatible store through django-storages, say) knows nothing of tenants, so the
key carries the schema: workspaces/<schema>/branding/<file>. Both give the same URL path.

The database keeps only the file's own name (``logo-<hash>.png``): a new content gets a new name,
so browsers and CDNs may cache each file for ever, and a change of backend moves no rows.
All functions work on the workspace whose schema is active on the connection.
"""

import hashlib
import re

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage
from django.db import connection
from django.utils.module_loading import import_string
from django_tenants.files.storage import TenantFileSystemStorage

from branding.images import Rendition

# Matches MULTITENANT_RELATIVE_MEDIA_ROOT ("workspaces/%s") in the settings.
TENANT_MEDIA_DIR = "workspaces"
BRANDING_DIR = "branding"
FILE_NAME = re.compile(r"^(logo|logo_2x|favicon_32|favicon_180)-[0-9a-f]{16}\.png$")
CONTENT_TYPES = {"png": "image/png"}


def branding_storage() -> Storage:
    """A fresh instance of the configured backend (its location follows the active schema)."""
    config = settings.BRANDING_STORAGE
    return import_string(config["BACKEND"])(**config.get("OPTIONS", {}))


def _key(storage: Storage, file_name: str) -> str:
    if not FILE_NAME.match(file_name):
        raise ValueError(f"not a branding file name: {file_name!r}")
    if isinstance(storage, TenantFileSystemStorage):
        return f"{BRANDING_DIR}/{file_name}"
    return f"{TENANT_MEDIA_DIR}/{connection.schema_name}/{BRANDING_DIR}/{file_name}"


def rendition_file_name(rendition: Rendition) -> str:
    digest = hashlib.sha256(rendition.content).hexdigest()[:16]
    return f"{rendition.kind}-{digest}.{rendition.extension}"


def file_save(rendition: Rendition) -> tuple[str, bool]:
    """Store ``rendition`` once (the same content has the same name): (file name, newly stored)."""
    storage = branding_storage()
    file_name = rendition_file_name(rendition)
    key = _key(storage, file_name)
    if storage.exists(key):
        return file_name, False
    saved = storage.save(key, ContentFile(rendition.content))
    if saved != key:  # the same content was stored meanwhile: keep one copy
        storage.delete(saved)
        return file_name, False
    return file_name, True


def file_delete(file_name: str) -> None:
    storage = branding_storage()
    storage.delete(_key(storage, file_name))


def file_url(file_name: str) -> str:
    """The file's URL: a path on the workspace's host locally, the store's URL otherwise."""
    storage = branding_storage()
    return storage.url(_key(storage, file_name))


def file_open(file_name: str):
    """The stored file, opened for reading (FileNotFoundError when it is not there)."""
    storage = branding_storage()
    return storage.open(_key(storage, file_name), "rb")


def content_type_of(file_name: str) -> str:
    return CONTENT_TYPES[file_name.rsplit(".", 1)[1]]


def rooted_storage() -> Storage:
    """The branding store with full keys (workspaces/<schema>/branding/<file>) whatever the
    active schema: what backups read and write."""
    storage = branding_storage()
    if isinstance(storage, TenantFileSystemStorage):
        return FileSystemStorage(location=settings.MEDIA_ROOT)
    return storage


def workspace_prefix(schema_name: str) -> str:
    return f"{TENANT_MEDIA_DIR}/{schema_name}/{BRANDING_DIR}/"
